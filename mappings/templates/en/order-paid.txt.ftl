Subject: Payment received for order ${order.orderId}
Hello ${customerName!"there"},

we have received your payment. Thank you!

Order number:  ${order.orderId}
Amount:        ${fmt.money(order.totals.grandTotal, order.currency)}
Paid on:       ${fmt.date(event.at)}
Payment:       ${(order.payment.method)!"-"}

Your order is now being prepared in our warehouse.

Kind regards,
${channel.name}
