Subject: Your order ${order.orderId} is confirmed
Hello ${customerName!"there"},

thank you for your order at ${channel.name}. Every item is reserved for you and your order is confirmed.

Order number:    ${order.orderId}
Your reference:  ${order.externalId}
Order date:      ${fmt.date(order.orderDate)}
Status:          ${event.status}

<#list order.lines as line>
- ${fmt.quantity(line.quantity)} x <#if line.description?has_content>${line.description} (${line.sku})<#else>${line.sku}</#if> at ${fmt.money(line.unitPrice, order.currency)}: ${fmt.money(line.lineTotal, order.currency)}
</#list>

Subtotal:  ${fmt.money(order.totals.subtotal, order.currency)}
<#if (order.totals.discount!0) != 0>
Discount: -${fmt.money(order.totals.discount, order.currency)}
</#if>
<#assign charged = 0>
<#if order.charges?? && order.charges?has_content>
<#list order.charges as c>
${c.description!(c.reason!"Charge")}:  ${fmt.money(c.amount, order.currency)}
<#assign charged = charged + c.amount>
</#list>
</#if>
<#if !(order.charges?? && order.charges?has_content) || (order.totals.shipping!0) - charged != 0>
Shipping:  ${fmt.money((order.totals.shipping!0) - charged, order.currency)}
</#if>
Tax:       ${fmt.money(order.totals.tax, order.currency)}
Total:     ${fmt.money(order.totals.grandTotal, order.currency)}

We will write again when your payment is through and when your parcel is on its way.

Kind regards,
${channel.name}
