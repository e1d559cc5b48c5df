Subject: Your refund for return ${rma.returnId}
Hello ${customerName!"there"},

we have refunded ${fmt.money(refund.amount, refund.currency)} for your return ${rma.returnId} (order ${order.orderId}) to your ${refund.method!"payment method"}. It usually shows within a few days.

Kind regards,
${channel.name}
