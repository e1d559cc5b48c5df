Subject: 订单 ${order.orderId} 的退货 ${rma.returnId} 已获批准
${customerName!"尊敬的顾客"}，您好：

您的退货申请 ${rma.returnId}（订单 ${order.orderId}）已获批准。

<#list rma.lines as line>
- ${line.quantity} × ${line.sku}<#if line.reason??>（${line.reason}）</#if>
</#list>

<#if label??>
退货面单（${label.carrier!"承运商"}，运单号 ${label.trackingNumber!"-"}）：
${label.labelUrl!"-"}
请打印面单并贴在包裹上，然后交给承运商。
</#if>

此致
${channel.name}
