package io.orderhub.ops;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.messaging.BrokerSends;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.paging.PagingManager;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The broker's storage as the hub sees it: with the embedded broker, its own view of the journal's disk
 * (free space, the limit in force, whether it blocks producers for it), its memory (global size and limit)
 * and the addresses that page or are full; with any broker, the hub's senders the broker takes no sends from
 * ({@link BrokerSends}). Read from memory, never by sending anything, so it answers while the broker blocks.
 * Gauges: {@code orderhub_broker_blocked} (1 while producers are blocked or refused), {@code
 * orderhub_broker_disk_full}, {@code orderhub_broker_disk_free_bytes}, {@code orderhub_broker_paging_addresses}
 * and {@code orderhub_broker_pages} (page files of the addresses that page).
 */
@Component
class BrokerStorage {

    private static final Logger log = LoggerFactory.getLogger(BrokerStorage.class);

    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final BrokerSends sends;

    public BrokerStorage(ObjectProvider<EmbeddedActiveMQ> embedded, BrokerSends sends, MeterRegistry meters) {
        this.embedded = embedded;
        this.sends = sends;
        Gauge.builder("orderhub.broker.blocked", this, b -> b.snapshot().blocked() ? 1 : 0)
                .description("1 while the broker blocks or refuses the hub's or the channels' producers (disk or address "
                        + "full, or sends of the hub not taken)").register(meters);
        Gauge.builder("orderhub.broker.disk.full", this, b -> b.snapshot().embedded() ? b.snapshot().diskFull() ? 1 : 0
                        : Double.NaN)
                .description("1 while the embedded broker's journal disk is beyond its limit (producers blocked)")
                .register(meters);
        Gauge.builder("orderhub.broker.disk.free", this, b -> b.snapshot().embedded() ? b.snapshot().diskFree() : Double.NaN)
                .baseUnit("bytes").description("free space on the embedded broker's journal disk, as the broker last saw it")
                .register(meters);
        Gauge.builder("orderhub.broker.paging.addresses", this, b -> b.snapshot().addresses().stream()
                        .filter(AddressState::paging).count())
                .description("addresses of the embedded broker that page to disk").register(meters);
        Gauge.builder("orderhub.broker.pages", this, b -> b.snapshot().addresses().stream()
                        .mapToLong(AddressState::pages).sum())
                .description("page files of the embedded broker's paging addresses").register(meters);
    }

    /** The state now. */
    public Snapshot snapshot() {
        List<BrokerSends.Blockage> blockedSends = sends.blocked();
        ActiveMQServer server = server();
        if (server == null || server.getPagingManager() == null) {
            return new Snapshot(false, false, -1, -1, "the broker's own (broker.xml)", -1, -1, List.of(), blockedSends);
        }
        PagingManager paging = server.getPagingManager();
        List<AddressState> addresses = new ArrayList<>();
        try {
            for (SimpleString name : paging.getStoreNames()) {
                PagingStore store = paging.getPageStore(name);
                if (store == null) {
                    continue;
                }
                boolean full = store.isFull();
                if (store.isPaging() || full) {
                    addresses.add(new AddressState(name.toString(), store.isPaging(), full, store.getNumberOfPages(),
                            store.getAddressSize(), store.getMaxSize(), store.getAddressFullMessagePolicy()));
                }
            }
        } catch (Exception e) {
            log.debug("paging stores not read: {}", e.toString());
        }
        Configuration config = server.getConfiguration();
        String limit = config.getMinDiskFree() >= 0 ? "min-disk-free " + config.getMinDiskFree() + " bytes"
                : "max-disk-usage " + config.getMaxDiskUsage() + " %";
        return new Snapshot(true, paging.isDiskFull(), paging.getDiskUsableSpace(), paging.getDiskTotalSpace(), limit,
                paging.getGlobalSize(), paging.getMaxSize(), List.copyOf(addresses), blockedSends);
    }

    private ActiveMQServer server() {
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        return broker == null ? null : broker.getActiveMQServer();
    }

    /** An address that pages, or is full (BLOCK: producers wait, FAIL: sends refused). */
    public record AddressState(String address, boolean paging, boolean full, long pages, long memoryBytes,
                               long maxSizeBytes, AddressFullMessagePolicy policy) {

        /** Producers to this address wait (BLOCK) or are refused (FAIL) because of its own size. */
        public boolean blocking() {
            return full && policy != AddressFullMessagePolicy.PAGE;
        }
    }

    /**
     * {@code embedded}: the figures below are the embedded broker's (else -1 and empty: an external broker reports
     * them itself); {@code diskFull}: the broker blocks every producer for its disk.
     */
    public record Snapshot(boolean embedded, boolean diskFull, long diskFree, long diskTotal, String diskLimit,
                           long globalSize, long globalMaxSize, List<AddressState> addresses,
                           List<BrokerSends.Blockage> blockedSends) {

        /** Producers (the hub's or the channels') are blocked or refused. */
        public boolean blocked() {
            return diskFull || !blockedSends.isEmpty() || addresses.stream().anyMatch(AddressState::blocking);
        }
    }
}
