Subject: We have received your return ${rma.returnId}
Hello ${customerName!"there"},

your return ${rma.returnId} for order ${order.orderId} has arrived at our warehouse.

<#if refund??>
Refund: ${fmt.money(refund.amount, refund.currency)} is on its way back to you.
<#elseif storeCredit??>
Store credit: ${fmt.money(storeCredit.amount, storeCredit.currency)} is kept for your next order.
<#else>
We are preparing your exchange.
</#if>

Kind regards,
${channel.name}
