<#import "labels.ftl" as l>
Subject: 您的订单 ${order.orderId} 已发货
${customerName!"尊敬的顾客"}，您好：

您的订单 ${order.orderId} 已从仓库发出。订单状态：${l.status[event.status]!event.status}。

<#list shipments as s>
包裹 ${s?counter}：${s.carrier!"承运商"}<#if s.service??> ${s.service}</#if>
  运单号：${s.trackingNumber!"-"}
<#if s.trackingUrl??>
  物流查询：${s.trackingUrl}
</#if>
</#list>

此致
${channel.name}
