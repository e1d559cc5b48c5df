package io.orderhub.inventory;

/** One stock row: the levels of one SKU in one warehouse. */
public record StockRow(String sku, String warehouse, int onHand, int reserved, int allocated, int safetyStock) {

    /** Available to promise: on hand less what is reserved, allocated and kept as safety stock (never below 0). */
    public int available() {
        return Math.max(0, onHand - reserved - allocated - safetyStock);
    }
}
