<#import "labels.ftl" as l>
Subject: 退货 ${rma.returnId} 的退款已完成
${customerName!"尊敬的顾客"}，您好：

您的退货 ${rma.returnId}（订单 ${order.orderId}）已退款 ${fmt.money(refund.amount, refund.currency)}，将退回您的${l.methods[refund.method!""]!"原付款方式"}，通常几天内到账。

此致
${channel.name}
