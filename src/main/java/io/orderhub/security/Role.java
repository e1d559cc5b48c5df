package io.orderhub.security;

/** What an API key may do (DESIGN §6). */
public enum Role {
    /** A sales channel: submits orders and reads its own orders and receipts only. */
    CHANNEL,
    /** Operations: reads everything, cancels, replays, adjusts stock. */
    OPS,
    /** Administration: everything OPS may, plus routes, settings and keys. */
    ADMIN
}
