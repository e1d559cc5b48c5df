<#--
  Shared macros of the UBL 2.1 outbound mappings (included by order-response.ftl, ship-notice.ftl, invoice.ftl, credit-note.ftl).
  Output format XML: every ${...} is escaped for XML by Freemarker itself (the model holds plain text).
  - sellerParty: our party (orderhub.outbound.ubl.seller.*, the endpoint from the channel's outbound.ubl.senderId when
    it names one): EndpointID with its scheme (ISO 6523 ICD, e.g. 0088 GLN), name, postal address, VAT id
    (PartyTaxScheme VAT) and legal name.
  - buyerParty: the partner (EndpointID from the channel's outbound.ubl.receiverId/receiverQualifier), the order's
    customer (company, else name) with the order's customer.externalId as PartyIdentification, the address of
    the bill-to (else the ship-to), the customer's VAT id when the order has one.
  - postalAddress: a canonical address (line1, line2, city, postalCode, region, country).
-->
<#macro postalAddress a>
<#if a.line1??><cbc:StreetName>${a.line1}</cbc:StreetName></#if>
<#if a.line2??><cbc:AdditionalStreetName>${a.line2}</cbc:AdditionalStreetName></#if>
<#if a.city??><cbc:CityName>${a.city}</cbc:CityName></#if>
<#if a.postalCode??><cbc:PostalZone>${a.postalCode}</cbc:PostalZone></#if>
<#if a.region??><cbc:CountrySubentity>${a.region}</cbc:CountrySubentity></#if>
<#if a.country??><cac:Country><cbc:IdentificationCode>${a.country}</cbc:IdentificationCode></cac:Country></#if>
</#macro>
<#macro sellerParty>
<cac:Party>
<cbc:EndpointID schemeID="${seller.endpointScheme}">${seller.endpointId}</cbc:EndpointID>
<cac:PartyName><cbc:Name>${seller.name}</cbc:Name></cac:PartyName>
<cac:PostalAddress><@postalAddress seller.address/></cac:PostalAddress>
<#if seller.vatId?has_content>
<cac:PartyTaxScheme><cbc:CompanyID>${seller.vatId}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
</#if>
<cac:PartyLegalEntity><cbc:RegistrationName>${seller.name}</cbc:RegistrationName></cac:PartyLegalEntity>
</cac:Party>
</#macro>
<#macro buyerParty>
<cac:Party>
<#if buyer.endpointId??><cbc:EndpointID schemeID="${buyer.endpointScheme}">${buyer.endpointId}</cbc:EndpointID></#if>
<#if (order.customer.externalId)??><cac:PartyIdentification><cbc:ID>${order.customer.externalId}</cbc:ID></cac:PartyIdentification></#if>
<cac:PartyName><cbc:Name>${buyer.name}</cbc:Name></cac:PartyName>
<#if buyer.address??><cac:PostalAddress><@postalAddress buyer.address/></cac:PostalAddress></#if>
<#if (order.customer.vatId)??>
<cac:PartyTaxScheme><cbc:CompanyID>${order.customer.vatId}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
</#if>
<cac:PartyLegalEntity><cbc:RegistrationName>${buyer.name}</cbc:RegistrationName></cac:PartyLegalEntity>
</cac:Party>
</#macro>
