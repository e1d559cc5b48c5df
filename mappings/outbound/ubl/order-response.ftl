<#--
  UBL 2.1 OrderResponse: the answer to an order on order.confirmed or order.backordered (docs/b2b-outbound.md).
  Checked against the OASIS UBL 2.1 maindoc XSD (UBL-OrderResponse-2.1.xsd) before it is sent; an invalid one is held.
  Choices:
  - Plain UBL 2.1 (no CustomizationID): the hub does not claim Peppol BIS Ordering 3 conformance for this document,
    whose rules it does not check. The shape follows it where it costs nothing: OrderResponseCode and LineStatusCode.
  - ID = <our order id>-<control number> (a backordered order that is confirmed later gets a second response, with
    another id); SalesOrderID = our order id; UUID = the document id (stable through resends).
  - OrderResponseCode (UNCL 4343): AP accepted when every line is accepted, CA (conditionally accepted) when a line is
    backordered. A Note says when this response replaces an earlier one (backordered, now confirmed).
  - OrderReference/ID = the partner's order number (the order's externalId), IssueDate = the order date.
  - Per line (LineItem): ID = the partner's line number; Quantity = the ordered quantity with its unit (UN/ECE Rec 20);
    LineStatusCode (UNCL 1229) 5 accepted without amendment, or 3 changed for a backordered line, which also carries
    MaximumBackorderQuantity = the whole line (the hub reserves an order all at once: the whole line waits) and
    BackOrderAllowedIndicator true; Price = the unit price; Item: name/description, the partner's item number
    (BuyersItemIdentification: the cross-reference's partnerSku, else buyerSku) and our SKU
    (SellersItemIdentification). Each LineItem names the order line again (OrderLineReference/LineID).
-->
<#include "_parties.ftl">
<?xml version="1.0" encoding="UTF-8"?>
<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:UBLVersionID>2.1</cbc:UBLVersionID>
<cbc:ID>${orderId}-${controlNumber}</cbc:ID>
<cbc:SalesOrderID>${orderId}</cbc:SalesOrderID>
<cbc:UUID>${documentUuid}</cbc:UUID>
<cbc:IssueDate>${issueDate}</cbc:IssueDate>
<cbc:IssueTime>${issueTime}</cbc:IssueTime>
<cbc:OrderResponseCode>${allAccepted?then("AP", "CA")}</cbc:OrderResponseCode>
<#if replaces>
<cbc:Note>Replaces the earlier response: the backordered order is now confirmed.</cbc:Note>
</#if>
<cbc:DocumentCurrencyCode>${order.currency}</cbc:DocumentCurrencyCode>
<cbc:LineCountNumeric>${lineCount}</cbc:LineCountNumeric>
<cac:OrderReference>
<cbc:ID>${order.externalId}</cbc:ID>
<#if orderIssueDate?has_content><cbc:IssueDate>${orderIssueDate}</cbc:IssueDate></#if>
</cac:OrderReference>
<cac:SellerSupplierParty><@sellerParty/></cac:SellerSupplierParty>
<cac:BuyerCustomerParty><@buyerParty/></cac:BuyerCustomerParty>
<#list lines as line>
<cac:OrderLine>
<cac:LineItem>
<cbc:ID>${line.lineNo}</cbc:ID>
<cbc:LineStatusCode>${(line.status == "BACKORDERED")?then("3", "5")}</cbc:LineStatusCode>
<cbc:Quantity unitCode="${line.unitCode}">${line.quantity}</cbc:Quantity>
<#if line.lineTotal??><cbc:LineExtensionAmount currencyID="${order.currency}">${line.lineAmount}</cbc:LineExtensionAmount></#if>
<#if line.status == "BACKORDERED">
<cbc:MaximumBackorderQuantity unitCode="${line.unitCode}">${line.quantity}</cbc:MaximumBackorderQuantity>
<cbc:BackOrderAllowedIndicator>true</cbc:BackOrderAllowedIndicator>
</#if>
<cac:Price><cbc:PriceAmount currencyID="${order.currency}">${line.unitPrice}</cbc:PriceAmount></cac:Price>
<cac:Item>
<#if line.description??><cbc:Description>${line.description}</cbc:Description></#if>
<cbc:Name>${line.itemName}</cbc:Name>
<#if line.partnerSku??><cac:BuyersItemIdentification><cbc:ID>${line.partnerSku}</cbc:ID></cac:BuyersItemIdentification>
<#elseif line.buyerSku??><cac:BuyersItemIdentification><cbc:ID>${line.buyerSku}</cbc:ID></cac:BuyersItemIdentification></#if>
<cac:SellersItemIdentification><cbc:ID>${line.sku}</cbc:ID></cac:SellersItemIdentification>
</cac:Item>
</cac:LineItem>
<cac:OrderLineReference><cbc:LineID>${line.lineNo}</cbc:LineID></cac:OrderLineReference>
</cac:OrderLine>
</#list>
</OrderResponse>
