Subject: 单据被拒收：回执 ${receipt.receiptId}
您好：

渠道 ${channel.id} 于 ${fmt.date(receipt.receivedAt)} 通过 ${receipt.via} 发送的单据被拒收，未生成订单。

回执号：  ${receipt.receiptId}
格式：    ${receipt.format!"无法识别"}
<#if receipt.documentId??>
单据号：  ${receipt.documentId}
</#if>

问题（共 ${receipt.errors?size} 项）：
<#list receipt.errors as e>
- <#if e.field?has_content>${e.field}：</#if>${e.message}
</#list>

请更正单据后重新发送（可沿用原订单号），或在映射修正后请我们重放回执 ${receipt.receiptId}。

OrderHub
