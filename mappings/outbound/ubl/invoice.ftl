<#--
  UBL 2.1 Invoice following Peppol BIS Billing 3.0 (EN 16931), sent on order.shipped or order.delivered as the
  channel's outbound.invoiceOn says (docs/b2b-outbound.md). Before it is sent it is checked against the OASIS UBL 2.1
  XSD (UBL-Invoice-2.1.xsd) and the EN 16931 and Peppol BIS Billing 3 Schematron rules (phive-rules-peppol, applied
  as XSLT with Saxon); a document with an error (a fatal assertion) is held with the rule ids, never sent.
  Choices:
  - CustomizationID / ProfileID of Peppol BIS Billing 3.0 (billing process P1). InvoiceTypeCode 380 (commercial
    invoice). ID = our order id (the hub invoices an order once, whole, as the EDI 810/INVOIC do); UUID = the
    document id.
  - OrderReference/ID = the partner's order number (the order's externalId): the Peppol buyer reference rule
    (PEPPOL-EN16931-R003) takes either; BuyerReference is also set to it.
  - Seller (AccountingSupplierParty) = orderhub.outbound.ubl.seller.* (name, endpoint, VAT id, address); buyer
    (AccountingCustomerParty) = the order's customer with the channel's outbound.ubl receiver endpoint and the
    bill-to address (else the ship-to). Delivery: the ship-to address; ActualDeliveryDate = the document date on
    order.delivered.
  - Tax: one category for the whole invoice. The order carries its tax as one amount (totals.tax); the hub takes the
    first configured category (orderhub.outbound.ubl.tax-categories, e.g. S:19,S:7,Z:0) whose rate gives exactly that
    tax on the taxable amount (subtotal - discount + shipping, rounded half up to cents). Every line, the allowance
    and the charge carry that category; TaxTotal has one TaxSubtotal. An order whose tax fits no configured rate
    (mixed rates, an unknown rate) is held: the hub does not invent a rate.
  - Document-level AllowanceCharge: the order's discount total (ChargeIndicator false) and its shipping and other
    charges (ChargeIndicator true), each when not zero, with a reason text and no reason code.
  - Lines: InvoicedQuantity = the ordered quantity (an order is SHIPPED only whole), unit as UN/ECE Rec 20 (PCE ->
    H87); LineExtensionAmount = the line total; Price = the unit price; line discounts and charges as line
    AllowanceCharge; Item Name = the description (else our SKU), the partner's and our item numbers.
  - LegalMonetaryTotal: LineExtensionAmount = subtotal, TaxExclusiveAmount = subtotal - discount + shipping,
    TaxInclusiveAmount = that + tax, AllowanceTotalAmount / ChargeTotalAmount, PayableAmount = grandTotal.
  - Payment: DueDate = document date + n days when the order is paid on terms such as NET30; PaymentTerms/Note = the
    order's terms, else "Payable on receipt"; PaymentMeans 58 (SEPA credit transfer) to the seller's IBAN when
    orderhub.outbound.ubl.seller.iban is set, with the invoice number as the payment reference.
  Amounts are written with two decimals (Peppol allows no more), prices as the order has them.
-->
<#include "_parties.ftl">
<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
<cbc:ID>${invoiceNumber}</cbc:ID>
<cbc:UUID>${documentUuid}</cbc:UUID>
<cbc:IssueDate>${issueDate}</cbc:IssueDate>
<#if dueDate??><cbc:DueDate>${dueDate}</cbc:DueDate></#if>
<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
<cbc:DocumentCurrencyCode>${order.currency}</cbc:DocumentCurrencyCode>
<cbc:BuyerReference>${order.externalId}</cbc:BuyerReference>
<cac:OrderReference>
<cbc:ID>${order.externalId}</cbc:ID>
<cbc:SalesOrderID>${orderId}</cbc:SalesOrderID>
</cac:OrderReference>
<cac:AccountingSupplierParty><@sellerParty/></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><@buyerParty/></cac:AccountingCustomerParty>
<#if order.shipTo??>
<cac:Delivery>
<#if !shipped><cbc:ActualDeliveryDate>${issueDate}</cbc:ActualDeliveryDate></#if>
<cac:DeliveryLocation><cac:Address><@postalAddress order.shipTo/></cac:Address></cac:DeliveryLocation>
<cac:DeliveryParty><cac:PartyName><cbc:Name>${(order.shipTo.company)!(order.shipTo.name)}</cbc:Name></cac:PartyName></cac:DeliveryParty>
</cac:Delivery>
</#if>
<#if seller.iban?has_content>
<cac:PaymentMeans>
<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
<cbc:PaymentID>${invoiceNumber}</cbc:PaymentID>
<cac:PayeeFinancialAccount><cbc:ID>${seller.iban}</cbc:ID></cac:PayeeFinancialAccount>
</cac:PaymentMeans>
</#if>
<cac:PaymentTerms><cbc:Note>${(order.payment.terms)!"Payable on receipt"}</cbc:Note></cac:PaymentTerms>
<#macro category><cac:TaxCategory><cbc:ID>${tax.category}</cbc:ID><cbc:Percent>${tax.percent}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></#macro>
<#if amounts.allowance != "0.00">
<cac:AllowanceCharge>
<cbc:ChargeIndicator>false</cbc:ChargeIndicator>
<cbc:AllowanceChargeReason>Discount</cbc:AllowanceChargeReason>
<cbc:Amount currencyID="${order.currency}">${amounts.allowance}</cbc:Amount>
<@category/>
</cac:AllowanceCharge>
</#if>
<#if amounts.charge != "0.00">
<cac:AllowanceCharge>
<cbc:ChargeIndicator>true</cbc:ChargeIndicator>
<cbc:AllowanceChargeReason>Shipping and other charges</cbc:AllowanceChargeReason>
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
<cac:InvoiceLine>
<cbc:ID>${line.lineNo}</cbc:ID>
<cbc:InvoicedQuantity unitCode="${line.unitCode}">${line.quantity}</cbc:InvoicedQuantity>
<cbc:LineExtensionAmount currencyID="${order.currency}">${line.lineAmount}</cbc:LineExtensionAmount>
<cac:OrderLineReference><cbc:LineID>${line.lineNo}</cbc:LineID></cac:OrderLineReference>
<#list line.allowances as a>
<cac:AllowanceCharge>
<cbc:ChargeIndicator>${a.charge?then("true", "false")}</cbc:ChargeIndicator>
<cbc:AllowanceChargeReason>${a.reason}</cbc:AllowanceChargeReason>
<cbc:Amount currencyID="${order.currency}">${a.amount}</cbc:Amount>
</cac:AllowanceCharge>
</#list>
<cac:Item>
<#if line.description??><cbc:Description>${line.description}</cbc:Description></#if>
<cbc:Name>${line.itemName}</cbc:Name>
<#if line.partnerSku??><cac:BuyersItemIdentification><cbc:ID>${line.partnerSku}</cbc:ID></cac:BuyersItemIdentification>
<#elseif line.buyerSku??><cac:BuyersItemIdentification><cbc:ID>${line.buyerSku}</cbc:ID></cac:BuyersItemIdentification></#if>
<cac:SellersItemIdentification><cbc:ID>${line.sku}</cbc:ID></cac:SellersItemIdentification>
<cac:ClassifiedTaxCategory><cbc:ID>${tax.category}</cbc:ID><cbc:Percent>${tax.percent}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
</cac:Item>
<cac:Price><cbc:PriceAmount currencyID="${order.currency}">${line.unitPrice}</cbc:PriceAmount></cac:Price>
</cac:InvoiceLine>
</#list>
</Invoice>
