<#--
  UBL 2.1 CreditNote following Peppol BIS Billing 3.0 (EN 16931), sent on return.refunded: a refunded return of a
  channel whose partner standard is UBL is credited to the partner (issue 22, docs/returns.md "Credit notes to B2B
  partners"). Before it is sent it is checked against the OASIS UBL 2.1 XSD (UBL-CreditNote-2.1.xsd) and the EN 16931
  and Peppol BIS Billing 3 Schematron rules (the same rule files as the invoice: they cover both roots); a document
  with an error (a fatal assertion) is held with the rule ids, never sent.
  Choices:
  - CustomizationID / ProfileID of Peppol BIS Billing 3.0 (billing process P1). CreditNoteTypeCode 381 (credit note).
    ID = the return id (as the 810 credit memo's BIG02 and the INVOIC 381's BGM); UUID = the document id.
  - BillingReference/InvoiceDocumentReference = the invoice it credits (our order id: the hub invoices an order once,
    whole) with its issue date, only when the order's invoice document was sent; else none (the invoice may have gone
    by another way, and Peppol takes a credit note without it).
  - OrderReference/ID = the partner's order number (the order's externalId), BuyerReference the same (Peppol
    PEPPOL-EN16931-R003 takes either); SalesOrderID = our order id.
  - Seller and buyer exactly as the invoice writes them (_parties.ftl).
  - Tax: one category, the order's, found as the invoice finds it (the first configured category of
    orderhub.outbound.ubl.tax-categories whose rate gives the order's tax on its taxable amount; an order without
    tax gets the zero-rated one). TaxAmount = the refund's tax: the credited units' share of the order's tax as
    ReturnMoney computed it (the return.received event's refund parts). An order tax that fits no rate, or a refund
    tax a currency unit or more off the rate on the credited taxable amount, holds the credit note.
  - Document-level AllowanceCharge: the credited units' share of the order's discount and the channel's restocking
    fee (ChargeIndicator false: they lessen the credit), the shipping charge refunded (ChargeIndicator true), each
    when not zero, with a reason text.
  - Lines: one CreditNoteLine per returned line with units credited (those received back; the ones the return names
    for a channel's money-only refund); CreditedQuantity with its UN/ECE Rec 20 unit; LineExtensionAmount =
    quantity x the price per unit paid (line discounts and charges already in it, so no line AllowanceCharge);
    Note = the return reason; Item as the invoice's; Price = the price per unit paid.
  - LegalMonetaryTotal: LineExtensionAmount = the credited lines, TaxExclusiveAmount = that - allowances + charge,
    TaxInclusiveAmount = that + tax, PayableAmount = the amount credited (the refund); a refund capped below that
    total (what was captured) holds the credit note: the hub does not state money it did not pay back.
  - PaymentTerms/Note says the amount was refunded with the return (Peppol wants terms or a due date when an amount
    is payable).
  Amounts are written with two decimals (Peppol allows no more), prices as the return has them.
-->
<#include "_parties.ftl">
<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
<cbc:ID>${creditNoteNumber}</cbc:ID>
<cbc:UUID>${documentUuid}</cbc:UUID>
<cbc:IssueDate>${issueDate}</cbc:IssueDate>
<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
<cbc:Note>Return ${returnId} of order ${order.externalId}</cbc:Note>
<cbc:DocumentCurrencyCode>${order.currency}</cbc:DocumentCurrencyCode>
<cbc:BuyerReference>${order.externalId}</cbc:BuyerReference>
<cac:OrderReference>
<cbc:ID>${order.externalId}</cbc:ID>
<cbc:SalesOrderID>${orderId}</cbc:SalesOrderID>
</cac:OrderReference>
<#if invoiceIssueDate??>
<cac:BillingReference>
<cac:InvoiceDocumentReference>
<cbc:ID>${invoiceNumber}</cbc:ID>
<cbc:IssueDate>${invoiceIssueDate}</cbc:IssueDate>
</cac:InvoiceDocumentReference>
</cac:BillingReference>
</#if>
<cac:AccountingSupplierParty><@sellerParty/></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><@buyerParty/></cac:AccountingCustomerParty>
<cac:PaymentTerms><cbc:Note>Refunded to the buyer with return ${returnId}</cbc:Note></cac:PaymentTerms>
<#macro category><cac:TaxCategory><cbc:ID>${tax.category}</cbc:ID><cbc:Percent>${tax.percent}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></#macro>
<#if amounts.discount != "0.00">
<cac:AllowanceCharge>
<cbc:ChargeIndicator>false</cbc:ChargeIndicator>
<cbc:AllowanceChargeReason>Discount</cbc:AllowanceChargeReason>
<cbc:Amount currencyID="${order.currency}">${amounts.discount}</cbc:Amount>
<@category/>
</cac:AllowanceCharge>
</#if>
<#if amounts.restockingFee != "0.00">
<cac:AllowanceCharge>
<cbc:ChargeIndicator>false</cbc:ChargeIndicator>
<cbc:AllowanceChargeReason>Restocking fee</cbc:AllowanceChargeReason>
<cbc:Amount currencyID="${order.currency}">${amounts.restockingFee}</cbc:Amount>
<@category/>
</cac:AllowanceCharge>
</#if>
<#if amounts.charge != "0.00">
<cac:AllowanceCharge>
<cbc:ChargeIndicator>true</cbc:ChargeIndicator>
<cbc:AllowanceChargeReason>Shipping refunded</cbc:AllowanceChargeReason>
<cbc:Amount currencyID="${order.currency}">${amounts.charge}</cbc:Amount>
<@category/>
</cac:AllowanceCharge>
</#if>
<cac:TaxTotal>
<cbc:TaxAmount currencyID="${order.currency}">${amounts.tax}</cbc:TaxAmount>
<cac:TaxSubtotal>
<cbc:TaxableAmount currencyID="${order.currency}">${amounts.taxExclusive}</cbc:TaxableAmount>
<cbc:TaxAmount currencyID="${order.currency}">${amounts.tax}</cbc:TaxAmount>
<@category/>
</cac:TaxSubtotal>
</cac:TaxTotal>
<cac:LegalMonetaryTotal>
<cbc:LineExtensionAmount currencyID="${order.currency}">${amounts.lineExtension}</cbc:LineExtensionAmount>
<cbc:TaxExclusiveAmount currencyID="${order.currency}">${amounts.taxExclusive}</cbc:TaxExclusiveAmount>
<cbc:TaxInclusiveAmount currencyID="${order.currency}">${amounts.taxInclusive}</cbc:TaxInclusiveAmount>
<#if amounts.allowance != "0.00"><cbc:AllowanceTotalAmount currencyID="${order.currency}">${amounts.allowance}</cbc:AllowanceTotalAmount></#if>
<#if amounts.charge != "0.00"><cbc:ChargeTotalAmount currencyID="${order.currency}">${amounts.charge}</cbc:ChargeTotalAmount></#if>
<cbc:PayableAmount currencyID="${order.currency}">${amounts.payable}</cbc:PayableAmount>
</cac:LegalMonetaryTotal>
<#list lines as line>
<cac:CreditNoteLine>
<cbc:ID>${line.lineNo}</cbc:ID>
<#if line.reason??><cbc:Note>${line.reason}</cbc:Note></#if>
<cbc:CreditedQuantity unitCode="${line.unitCode}">${line.quantity}</cbc:CreditedQuantity>
<cbc:LineExtensionAmount currencyID="${order.currency}">${line.lineAmount}</cbc:LineExtensionAmount>
<cac:OrderLineReference><cbc:LineID>${line.lineNo}</cbc:LineID></cac:OrderLineReference>
<cac:Item>
<#if line.description??><cbc:Description>${line.description}</cbc:Description></#if>
<cbc:Name>${line.itemName}</cbc:Name>
<#if line.partnerSku??><cac:BuyersItemIdentification><cbc:ID>${line.partnerSku}</cbc:ID></cac:BuyersItemIdentification>
<#elseif line.buyerSku??><cac:BuyersItemIdentification><cbc:ID>${line.buyerSku}</cbc:ID></cac:BuyersItemIdentification></#if>
<cac:SellersItemIdentification><cbc:ID>${line.sku}</cbc:ID></cac:SellersItemIdentification>
<cac:ClassifiedTaxCategory><cbc:ID>${tax.category}</cbc:ID><cbc:Percent>${tax.percent}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
</cac:Item>
<cac:Price><cbc:PriceAmount currencyID="${order.currency}">${line.unitPrice}</cbc:PriceAmount></cac:Price>
</cac:CreditNoteLine>
</#list>
</CreditNote>
