Subject: Your order ${order.orderId} has been cancelled
Hello ${customerName!"there"},

your order ${order.orderId} of ${fmt.date(order.orderDate)} has been cancelled.

Reason: ${event.reason!"-"}
<#if refund??>
Refund: ${fmt.money(refund.amount, refund.currency)} goes back to your ${refund.method!"payment method"}; it usually shows within a few days.
<#else>
Refund: none is due, no payment was taken for this order.
</#if>

Kind regards,
${channel.name}
