Subject: Document rejected: receipt ${receipt.receiptId}
Hello,

a document channel ${channel.id} sent over ${receipt.via} on ${fmt.date(receipt.receivedAt)} was rejected; no order was made from it.

Receipt:   ${receipt.receiptId}
Format:    ${receipt.format!"not recognised"}
<#if receipt.documentId??>
Document:  ${receipt.documentId}
</#if>

Problems (${receipt.errors?size}):
<#list receipt.errors as e>
- <#if e.field?has_content>${e.field}: </#if>${e.message}
</#list>

Correct the document and send it again (the same order number may be used), or ask us to replay
receipt ${receipt.receiptId} once a mapping has been fixed.

OrderHub
