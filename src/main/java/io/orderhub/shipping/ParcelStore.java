package io.orderhub.shipping;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.orderhub.shipping.ShippingService.Parcel;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code parcels} rows of the shipping stage: reads for the API, the jobs and the cancellation,
 * and the one-statement updates the label purchase commits step by step.
 */
@Component
class ParcelStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate tx;

    ParcelStore(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    public Optional<Parcel> parcel(String shipmentId) {
        return jdbc.query("select * from parcels where shipment_id = :id", new MapSqlParameterSource("id", shipmentId),
                (rs, n) -> row(rs)).stream().findFirst();
    }

    public List<Parcel> parcelsOf(String orderId) {
        return jdbc.query("select * from parcels where order_id = :id order by shipment_id",
                new MapSqlParameterSource("id", orderId), (rs, n) -> row(rs));
    }

    /** Parcels the carrier refused, for operations. */
    public List<Parcel> held() {
        return jdbc.query("select * from parcels where state = 'HELD' order by updated_at limit 500",
                new MapSqlParameterSource(), (rs, n) -> row(rs));
    }

    /** The parcels in transit after {@code after} in key order, one page of {@code limit}. */
    List<Parcel> inTransitAfter(String after, int limit) {
        return jdbc.query("""
                select * from parcels where state = 'LABELLED' and tracking_rank < :delivered and shipment_id > :after
                order by shipment_id limit :limit
                """, new MapSqlParameterSource("delivered", TrackingStatus.rank(TrackingStatus.DELIVERED))
                .addValue("after", after).addValue("limit", limit), (rs, n) -> row(rs));
    }

    String orderOf(String shipmentId) {
        return jdbc.queryForObject("select order_id from shipments where shipment_id = :id",
                new MapSqlParameterSource("id", shipmentId), String.class);
    }

    void update(String shipmentId, String sql, MapSqlParameterSource params) {
        tx.executeWithoutResult(s -> jdbc.update(sql, params.addValue("id", shipmentId)
                .addValue("now", Timestamp.from(clock.instant()))));
    }

    static Parcel row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Parcel(rs.getString("shipment_id"), rs.getString("order_id"), rs.getString("account"),
                rs.getString("carrier_shipment_id"), rs.getString("rate_id"), rs.getString("carrier"), rs.getString("service"),
                rs.getString("tracking_code"), rs.getString("label_url"), rs.getString("tracker_id"), rs.getString("state"),
                rs.getString("tracking_status"), rs.getInt("tracking_rank"), rs.getString("message"), rs.getInt("attempts"),
                rs.getString("refund_status"), rs.getTimestamp("updated_at").toInstant());
    }

    static String cut(String s) {
        return s == null ? null : s.length() > 1900 ? s.substring(0, 1900) + "…" : s;
    }
}
