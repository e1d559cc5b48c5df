<#import "labels.ftl" as l>
Subject: 您的订单 ${order.orderId} 已确认
${customerName!"尊敬的顾客"}，您好：

感谢您在 ${channel.name} 下单。所有商品均已为您预留，您的订单已确认。

订单号：    ${order.orderId}
您的单号：  ${order.externalId}
下单时间：  ${fmt.date(order.orderDate)}
订单状态：  ${l.status[event.status]!event.status}

<#list order.lines as line>
- <#if line.description?has_content>${line.description}（${line.sku}）<#else>${line.sku} </#if>× ${fmt.quantity(line.quantity)}，单价 ${fmt.money(line.unitPrice, order.currency)}，小计 ${fmt.money(line.lineTotal, order.currency)}
</#list>

商品合计：  ${fmt.money(order.totals.subtotal, order.currency)}
<#if (order.totals.discount!0) != 0>
折扣：     -${fmt.money(order.totals.discount, order.currency)}
</#if>
<#assign charged = 0>
<#if order.charges?? && order.charges?has_content>
<#list order.charges as c>
${c.description!(c.reason!"附加费")}：      ${fmt.money(c.amount, order.currency)}
<#assign charged = charged + c.amount>
</#list>
</#if>
<#if !(order.charges?? && order.charges?has_content) || (order.totals.shipping!0) - charged != 0>
运费：      ${fmt.money((order.totals.shipping!0) - charged, order.currency)}
</#if>
税费：      ${fmt.money(order.totals.tax, order.currency)}
应付总额：  ${fmt.money(order.totals.grandTotal, order.currency)}

付款成功及包裹发出时，我们会再通知您。

此致
${channel.name}
