Subject: Your return ${rma.returnId} for order ${order.orderId} is authorized
Hello ${customerName!"there"},

we have authorized your return ${rma.returnId} for order ${order.orderId}.

<#list rma.lines as line>
- ${line.quantity} x ${line.sku}<#if line.reason??> (${line.reason})</#if>
</#list>

<#if label??>
Your return label (${label.carrier!"carrier"}, tracking number ${label.trackingNumber!"-"}):
${label.labelUrl!"-"}
Print it, stick it on the parcel and hand the parcel to the carrier.
</#if>

Kind regards,
${channel.name}
