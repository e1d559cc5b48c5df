Subject: 您的订单 ${order.orderId} 已送达
${customerName!"尊敬的顾客"}，您好：

承运商显示您的订单 ${order.orderId} 已送达（${fmt.date(event.at)}）。
希望您喜欢。如有任何问题，请直接回复此邮件。

此致
${channel.name}
