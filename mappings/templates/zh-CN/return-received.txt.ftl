Subject: 我们已收到您的退货 ${rma.returnId}
${customerName!"尊敬的顾客"}，您好：

您的退货 ${rma.returnId}（订单 ${order.orderId}）已到达我们的仓库。

<#if refund??>
退款：${fmt.money(refund.amount, refund.currency)} 正在退回给您。
<#elseif storeCredit??>
店铺积分：${fmt.money(storeCredit.amount, storeCredit.currency)} 已为您保留，可用于下次购物。
<#else>
我们正在为您准备换货。
</#if>

此致
${channel.name}
