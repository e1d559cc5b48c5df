<#import "labels.ftl" as l>
Subject: 您的订单 ${order.orderId} 已取消
${customerName!"尊敬的顾客"}，您好：

您于 ${fmt.date(order.orderDate)} 提交的订单 ${order.orderId} 已取消。

取消原因：${event.reason!"-"}
<#if refund??>
退款：${fmt.money(refund.amount, refund.currency)} 将退回您的${l.methods[refund.method!""]!"原付款方式"}，通常几天内到账。
<#else>
退款：无需退款，此订单未曾扣款。
</#if>

此致
${channel.name}
