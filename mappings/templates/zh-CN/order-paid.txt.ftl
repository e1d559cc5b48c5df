<#import "labels.ftl" as l>
Subject: 订单 ${order.orderId} 付款成功
${customerName!"尊敬的顾客"}，您好：

我们已收到您的付款，谢谢！

订单号：    ${order.orderId}
付款金额：  ${fmt.money(order.totals.grandTotal, order.currency)}
付款时间：  ${fmt.date(event.at)}
付款方式：  ${l.methods[(order.payment.method)!""]!((order.payment.method)!"-")}

您的订单正在仓库中准备。

此致
${channel.name}
