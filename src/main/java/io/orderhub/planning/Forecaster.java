package io.orderhub.planning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Forecasts daily demand: backtests every model by rolling origin over the history (origins every
 * {@code step} days at the end of the history, each model refitted on the days before the origin and
 * scored on the {@code step} days after it), picks the model with the smallest error — MAPE, or MAE
 * when the history has days without demand (MAPE divides by the actual) — and forecasts the next
 * days with it, refitted on the whole history. Forecasts below zero are shown as zero.
 */
public final class Forecaster {

    /** Error of one model in the backtest; {@code reason} when it could not be backtested. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelError(String model, Double mae, Double mape, Integer points, Map<String, Double> parameters,
                             String reason) {
    }

    /** The chosen model, its error, the forecast, and every model's error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Forecast(String model, String metric, Double error, Map<String, Double> parameters, int horizonDays,
                           List<Double> daily, Double total, List<ModelError> models, String reason) {
    }

    public static final int MIN_TRAINING_DAYS = 14;

    private final List<ForecastModel> models;
    private final int step;
    private final int origins;

    public Forecaster(int step, int origins) {
        this(List.of(new ForecastModel.MovingAverage(), new ForecastModel.SimpleExponentialSmoothing(),
                new ForecastModel.HoltLinear(), new ForecastModel.HoltWintersAdditive(7)), step, origins);
    }

    public Forecaster(List<ForecastModel> models, int step, int origins) {
        if (step < 1 || origins < 1) {
            throw new IllegalArgumentException("step and origins must be >= 1");
        }
        this.models = List.copyOf(models);
        this.step = step;
        this.origins = origins;
    }

    public List<ForecastModel> models() {
        return models;
    }

    public Forecast forecast(double[] history, int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1 day");
        }
        int n = history.length;
        if (n == 0) {
            return new Forecast(null, null, null, null, horizon, null, null, List.of(), "no order history");
        }
        boolean zeros = Arrays.stream(history).anyMatch(v -> v == 0);
        String metric = zeros ? "MAE" : "MAPE";
        List<ModelError> errors = new ArrayList<>();
        ForecastModel best = null;
        double bestError = Double.MAX_VALUE;
        for (ForecastModel model : models) {
            ModelError e = backtest(model, history);
            errors.add(e);
            Double value = zeros ? e.mae() : e.mape();
            if (value != null && value < bestError - 1e-12) {
                bestError = value;
                best = model;
            }
        }
        String reason = null;
        if (best == null) {
            best = models.get(0);
            reason = "history of " + n + " day(s) is too short to backtest (needs " + (MIN_TRAINING_DAYS + step)
                    + "); " + best.name() + " used without an error estimate";
        }
        ForecastModel.Fitted fitted = best.fit(history, horizon);
        List<Double> daily = new ArrayList<>(horizon);
        double total = 0;
        for (double v : fitted.forecast()) {
            double clipped = Math.max(0, v);
            daily.add(Figure.round(clipped).doubleValue());
            total += clipped;
        }
        return new Forecast(best.name(), reason == null ? metric : null, reason == null ? round(bestError) : null,
                fitted.parameters(), horizon, daily, round(total), errors, reason);
    }

    /** Rolling-origin backtest of one model: absolute and percentage errors of its forecasts after each origin. */
    ModelError backtest(ForecastModel model, double[] y) {
        int n = y.length;
        double absolute = 0;
        double percentage = 0;
        int points = 0;
        boolean mapeDefined = true;
        Map<String, Double> lastParameters = null;
        for (int k = origins; k >= 1; k--) {
            int origin = n - k * step;
            if (origin < Math.max(MIN_TRAINING_DAYS, model.minHistory())) {
                continue;
            }
            ForecastModel.Fitted fitted = model.fit(Arrays.copyOfRange(y, 0, origin), step);
            lastParameters = fitted.parameters();
            for (int i = 0; i < step; i++) {
                double actual = y[origin + i];
                double error = Math.abs(actual - Math.max(0, fitted.forecast()[i]));
                absolute += error;
                if (actual == 0) {
                    mapeDefined = false;
                } else {
                    percentage += error / actual;
                }
                points++;
            }
        }
        if (points == 0) {
            return new ModelError(model.name(), null, null, 0, null, "history too short: needs at least "
                    + (Math.max(MIN_TRAINING_DAYS, model.minHistory()) + step) + " days");
        }
        return new ModelError(model.name(), round(absolute / points), mapeDefined ? round(100 * percentage / points) : null,
                points, lastParameters, null);
    }

    private static Double round(double v) {
        return Figure.round(v).doubleValue();
    }
}
