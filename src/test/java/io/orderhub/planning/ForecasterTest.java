package io.orderhub.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The forecasting models against series whose future is known. */
class ForecasterTest {

    static double[] constant(int n, double v) {
        double[] y = new double[n];
        Arrays.fill(y, v);
        return y;
    }

    static double[] line(int n, double a, double b) {
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = a + b * t;
        }
        return y;
    }

    static final double[] WEEK = {10, 12, 11, 13, 20, 25, 5};

    static double[] weekly(int n) {
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = WEEK[t % 7];
        }
        return y;
    }

    @Test
    void constantSeriesGivesConstantForecastFromEveryModel() {
        double[] y = constant(60, 8);
        for (ForecastModel m : new Forecaster(7, 4).models()) {
            double[] f = m.fit(y, 10).forecast();
            assertThat(f).as(m.name()).containsOnly(new double[] {8}, within(1e-9));
        }
        Forecaster.Forecast f = new Forecaster(7, 4).forecast(y, 5);
        assertThat(f.daily()).containsOnly(8.0);
        assertThat(f.metric()).isEqualTo("MAPE");
        assertThat(f.error()).isZero();
    }

    @Test
    void holtExtrapolatesALine() {
        // y = 5 + 2t for t = 0..49: the next days are 105, 107, 109
        double[] f = new ForecastModel.HoltLinear().fit(line(50, 5, 2), 3).forecast();
        assertThat(f[0]).isCloseTo(105, within(1e-9));
        assertThat(f[1]).isCloseTo(107, within(1e-9));
        assertThat(f[2]).isCloseTo(109, within(1e-9));
        Forecaster.Forecast forecast = new Forecaster(7, 4).forecast(line(50, 5, 2), 3);
        assertThat(forecast.model()).isIn("holt-linear", "holt-winters-additive");
        assertThat(forecast.error()).isCloseTo(0, within(1e-6));
        assertThat(forecast.daily()).containsExactly(105.0, 107.0, 109.0);
        // moving average and exponential smoothing lag behind a trend: they have an error
        assertThat(forecast.models()).filteredOn(e -> e.model().equals("moving-average"))
                .allSatisfy(e -> assertThat(e.mape()).isGreaterThan(1));
    }

    @Test
    void holtWintersReproducesAWeeklyPatternAndWinsTheBacktest() {
        double[] y = weekly(70);
        double[] f = new ForecastModel.HoltWintersAdditive(7).fit(y, 14).forecast();
        for (int i = 0; i < 14; i++) {
            assertThat(f[i]).as("day " + i).isCloseTo(WEEK[(70 + i) % 7], within(1e-9));
        }
        Forecaster.Forecast forecast = new Forecaster(7, 4).forecast(y, 7);
        assertThat(forecast.model()).isEqualTo("holt-winters-additive");
        assertThat(forecast.metric()).isEqualTo("MAPE");
        assertThat(forecast.error()).isZero();
        assertThat(forecast.daily()).containsExactly(10.0, 12.0, 11.0, 13.0, 20.0, 25.0, 5.0);
        assertThat(forecast.models()).hasSize(4).filteredOn(e -> !e.model().equals("holt-winters-additive"))
                .allSatisfy(e -> assertThat(e.mape()).isGreaterThan(5));
    }

    @Test
    void weeklyPatternWithZerosIsScoredByMae() {
        double[] pattern = {3, 4, 3, 5, 8, 9, 0};
        double[] y = new double[84];
        for (int t = 0; t < y.length; t++) {
            y[t] = pattern[t % 7];
        }
        Forecaster.Forecast forecast = new Forecaster(7, 4).forecast(y, 7);
        assertThat(forecast.metric()).isEqualTo("MAE");
        assertThat(forecast.model()).isEqualTo("holt-winters-additive");
        assertThat(forecast.models()).allSatisfy(e -> assertThat(e.mape()).isNull());
    }

    @Test
    void movingAverageAndExponentialSmoothingByHand() {
        // last 7 of 1..14 are 8..14: mean 11
        double[] y = line(14, 1, 1);
        ForecastModel.MovingAverage ma = new ForecastModel.MovingAverage();
        assertThat(ma.run(y, new double[] {7}, 2).forecast()).containsExactly(11, 11);
        // SES with α = 0.5 on 10, 20, 30: l = 10 → 15 → 22.5; SSE = (20 − 10)² + (30 − 15)² = 325
        ForecastModel.Run r = new ForecastModel.SimpleExponentialSmoothing().run(new double[] {10, 20, 30}, new double[] {0.5}, 1);
        assertThat(r.forecast()[0]).isEqualTo(22.5);
        assertThat(r.sse()).isEqualTo(325);
    }

    @Test
    void rollingOriginBacktestByHand() {
        // history 28 days of 10 then 7 days of 20; one origin at day 28, horizon 7:
        // the moving average (window 7 → 10) misses every day by 10: MAE 10, MAPE 50 %
        double[] y = new double[35];
        Arrays.fill(y, 0, 28, 10);
        Arrays.fill(y, 28, 35, 20);
        Forecaster f = new Forecaster(java.util.List.of(new ForecastModel.MovingAverage()), 7, 1);
        Forecaster.ModelError e = f.backtest(new ForecastModel.MovingAverage(), y);
        assertThat(e.points()).isEqualTo(7);
        assertThat(e.mae()).isEqualTo(10);
        assertThat(e.mape()).isEqualTo(50);
    }

    @Test
    void shortAndEmptyHistories() {
        Forecaster f = new Forecaster(7, 4);
        assertThat(f.forecast(new double[0], 7).reason()).isEqualTo("no order history");
        Forecaster.Forecast shortOne = f.forecast(new double[] {2, 4}, 3);
        assertThat(shortOne.model()).isEqualTo("moving-average");
        assertThat(shortOne.daily()).containsExactly(3.0, 3.0, 3.0);
        assertThat(shortOne.error()).isNull();
        // a falling line forecasts no negative demand
        Forecaster.Forecast falling = f.forecast(line(40, 40, -1), 10);
        assertThat(falling.daily()).allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(0));
    }
}
