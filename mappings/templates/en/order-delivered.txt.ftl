Subject: Your order ${order.orderId} has been delivered
Hello ${customerName!"there"},

the carrier reports your order ${order.orderId} delivered (${fmt.date(event.at)}).
We hope you enjoy it. If anything is wrong with it, simply answer this mail.

Kind regards,
${channel.name}
