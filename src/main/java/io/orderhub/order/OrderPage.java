package io.orderhub.order;

import java.util.List;

/** One page of orders, newest first. */
public record OrderPage(List<CanonicalOrder> items, int page, int size, long totalItems, long totalPages) {
}
