package io.orderhub.order;

/**
 * What a stage holds for an order when a document replaces the order's content (stock reserved for its
 * lines, a payment started for its total). {@link OrderAmendments} asks every implementation inside the
 * replacement's transaction, with the order row locked: each may refuse (throw {@link RevisionRefused} with
 * the reason; nothing changes then) or adjust what it holds to the replacement.
 */
public interface OrderRevision {

    /**
     * Adjusts this stage to the replacement, or refuses it with {@link RevisionRefused}. {@code current} is the
     * stored order (its status as locked), {@code replacement} the new content with the same orderId.
     */
    void revise(CanonicalOrder current, CanonicalOrder replacement);

    /**
     * Says, changing nothing and outside any lock, whether {@link #revise} would refuse this replacement now:
     * throws {@link RevisionRefused} with the reason {@code revise} would give. Used by
     * {@link OrderAmendments#foresee} for the preview.
     */
    void foresee(CanonicalOrder current, CanonicalOrder replacement);

    /**
     * After the replacement committed: finishes what {@link #revise} started that cannot run inside the transaction
     * (a charge at a payment gateway). Returns the reason the replacement must be undone (e.g. the difference was
     * declined), or empty when it stands (done, or left to a later job). {@link OrderAmendments} calls it once, outside
     * any transaction, and restores {@code current}'s content when a reason comes back.
     */
    default java.util.Optional<String> settle(CanonicalOrder current, CanonicalOrder replacement) {
        return java.util.Optional.empty();
    }
}
