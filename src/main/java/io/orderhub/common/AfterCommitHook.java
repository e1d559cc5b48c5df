package io.orderhub.common;

/**
 * A named point where a message's database transaction has just committed and its JMS transaction has not:
 * the crash the hub must survive without a second order or a second effect. Production runs the no-op
 * {@link #NONE} (the {@code afterCommitHook} bean of {@code CoreConfig}); the reliability tests
 * (docs/reliability.md) register one from the test sources that halts the JVM there. The production jar holds
 * no such implementation.
 */
@FunctionalInterface
public interface AfterCommitHook {

    /** In {@code JmsIntakeAdapter.receive}: the receipt and the order committed, the JMS answer and ack not yet. */
    String JMS_INTAKE = "jms-intake";
    /** In {@code InventoryStages.reserve}: the reservation committed, the event not yet acknowledged. */
    String INVENTORY_RESERVE = "inventory-reserve";

    /** Does nothing: every shipped configuration. */
    AfterCommitHook NONE = point -> { };

    /** Called where a database transaction has just committed and the message's JMS transaction has not. */
    void afterCommit(String point);
}
