package io.orderhub.returns;

import static io.orderhub.returns.ReturnStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.orderhub.returns.ReturnLifecycle.Resolution;
import org.junit.jupiter.api.Test;

/** The return transition table against issue 22, pair by pair, written out independently of the implementation. */
class ReturnLifecycleTest {

    static final Map<ReturnStatus, Set<ReturnStatus>> ISSUE = Map.of(
            REQUESTED, EnumSet.of(AUTHORIZED, REJECTED, CANCELLED),
            AUTHORIZED, EnumSet.of(IN_TRANSIT, RECEIVED, REJECTED, CANCELLED),
            IN_TRANSIT, EnumSet.of(RECEIVED),
            RECEIVED, EnumSet.of(REFUNDED, EXCHANGED, CREDITED, REJECTED),
            REFUNDED, EnumSet.of(CLOSED),
            EXCHANGED, EnumSet.of(CLOSED),
            CREDITED, EnumSet.of(CLOSED),
            CLOSED, EnumSet.noneOf(ReturnStatus.class),
            REJECTED, EnumSet.noneOf(ReturnStatus.class),
            CANCELLED, EnumSet.noneOf(ReturnStatus.class));

    @Test
    void everyPairIsAllowedExactlyWhenTheTableSaysSo() {
        int allowed = 0;
        for (ReturnStatus from : ReturnStatus.values()) {
            for (ReturnStatus to : ReturnStatus.values()) {
                assertThat(ReturnLifecycle.allows(from, to)).as(from + " -> " + to).isEqualTo(ISSUE.get(from).contains(to));
                allowed += ReturnLifecycle.allows(from, to) ? 1 : 0;
            }
        }
        assertThat(allowed).isEqualTo(15);
    }

    @Test
    void finalStatesLeadNowhereAndNothingLeadsBackToRequested() {
        for (ReturnStatus s : ReturnStatus.values()) {
            assertThat(ReturnLifecycle.next(s).isEmpty()).as(s.name()).isEqualTo(s.isFinal());
            assertThat(ReturnLifecycle.allows(s, REQUESTED)).isFalse();
        }
    }

    @Test
    void aParcelOnItsWayCannotBeCancelledAndAReceivedReturnIsSettledByItsResolution() {
        assertThat(ReturnLifecycle.allows(IN_TRANSIT, CANCELLED)).isFalse();
        assertThat(ReturnLifecycle.allows(RECEIVED, CANCELLED)).isFalse();
        assertThat(ReturnLifecycle.settled(Resolution.REFUND)).isEqualTo(REFUNDED);
        assertThat(ReturnLifecycle.settled(Resolution.EXCHANGE)).isEqualTo(EXCHANGED);
        assertThat(ReturnLifecycle.settled(Resolution.STORE_CREDIT)).isEqualTo(CREDITED);
        for (Resolution r : Resolution.values()) {
            assertThat(ReturnLifecycle.allows(RECEIVED, ReturnLifecycle.settled(r))).isTrue();
            assertThat(ReturnLifecycle.allows(ReturnLifecycle.settled(r), CLOSED)).isTrue();
        }
    }
}
