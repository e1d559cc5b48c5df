Subject: Your order ${order.orderId} is on its way
Hello ${customerName!"there"},

your order ${order.orderId} has left our warehouse. Status: ${event.status}.

<#list shipments as s>
Parcel ${s?counter}: ${s.carrier!"carrier"}<#if s.service??> ${s.service}</#if>
  Tracking number: ${s.trackingNumber!"-"}
<#if s.trackingUrl??>
  Track it: ${s.trackingUrl}
</#if>
</#list>

Kind regards,
${channel.name}
