<?xml version="1.0" encoding="UTF-8"?>
<!--
  EDIFACT ORDERS (D96A, D01B, D03B, EANCOM) -> canonical order (DESIGN §4). Edit freely: the hub compiles
  this file once and again when it changes; no Java changes are needed.

  INPUT (built by io.orderhub.format.edi.EdiMapping from one UNH..UNT message, same shape as for X12):
    <transaction standard="EDIFACT" number="1" type="ORDERS" control="1" version="D:96A:UN:EAN008" decimal=",">
      <s t="NAD" n="8" i="6" e1="BY" e2="8711576000012" e2.3="9"/> ...
  t = segment tag, n = position of the segment in the interchange (UNA and UNB counted; use it in error
  fields), i = position in the message (UNH = 1), eK = element K (its first component), eK.J = component
  J > 1. Empty elements are absent; release characters are already resolved. Envelope problems (UNT count,
  UNH/UNT reference, duplicate UNH reference, ...) are found before this mapping runs.

  OUTPUT: map { 'order': map {...}, 'errors': array { map {'field', 'message'} } }. Empty sequences are left
  out of the JSON. Amounts MUST be xs:decimal (the hub refuses xs:double): arithmetic here is exact. Numbers
  are read with f:num, which accepts a decimal comma (UNA) and raises "field|message" for non-numbers.

  RULES AND FALLBACKS (documented choices):
  - externalId = BGM 1004 (document number, element 2); orderDate = DTM+137 in format 102 (CCYYMMDD), 203
    (CCYYMMDDHHMM), 204 (CCYYMMDDHHMMSS) or 101 (YYMMDD: the century from the fixed window 1970-2069, YY 70-99
    -> 19YY, 00-69 -> 20YY, recorded in provenance); EDIFACT dates carry no zone: read as UTC.
  - purpose = BGM 1225 (message function, element 3; UNCL 1225): 9 original -> ORIGINAL; 1 cancellation ->
    CANCEL; 4 change and 5 replace -> REPLACE (an ORDERS message carries the whole order); 7 duplicate,
    31 copy and 43 additional transmission -> DUPLICATE. Any other code (6 confirmation, 2 addition, 3
    deletion, ...) is an error naming it. No 1225 is ORIGINAL. The hub acts on a purpose other than ORIGINAL
    against the order of the same channel and BGM 1004 (io.orderhub.order.OrderAmendments).
  - currency = CUX+2 (first CUX otherwise); no CUX -> $default-currency below (empty: the validator then
    rejects the order naming /currency). A channel variant of this file may set it (e.g. 'EUR').
  - parties: NAD segment groups (NAD + LOC/FII/RFF/DTM/CTA/COM). shipTo = NAD+DP (delivery party), else
    NAD+ST, else NAD+BY when it carries an address. billTo = NAD+IV. customer = NAD+BY (id = 3039, CTA/COM
    phone TE and e-mail EM). A party's name = C080 party name, else the first C058 line. Country = 3207
    (UK, which ISO 3166 reserves for the United Kingdom and partners write, is read as GB and named in provenance).
    In EANCOM the buyer is often identified only by its GLN (3039, agency 3055 9; 16 DUNS, 91/92 seller's /
    buyer's number): customer.name = the buyer's name, else its CTA contact name (C056 3412), else the
    invoicee's name, else the delivery party's name, else the buyer's id. An address without a name is named
    by the party's id. A delivery party given only by its id (a GLN) is an error: the hub has no location
    directory. A bill-to is optional: an NAD+IV without a complete address (street, city, postal code and
    country) is left out rather than sinking the order.
  - provenance: every value taken by a fallback above (not from its first-choice element) is named in
    the order's provenance, keyed by its JSON pointer: the segment, element and rule it came from.
  - split delivery (EANCOM SG32 LOC-QTY in the LIN group): LOC+7 (place of delivery, C517 3225 its id, usually
    a GLN), each followed by QTY+11 (split quantity), ships that much of the line there. When any line has one,
    the message becomes one order per place, in the order of first mention, returned as {'orders': [...]}:
    externalId = BGM 1004 || '-' || n (n = 1, 2, ...; deterministic: a resend or replay finds its orders
    again, and a later cancellation or change must name 1004-n), documentId = BGM 1004 (source.documentId),
    provenance '/externalId' names the order, the delivery and its lines with quantities, '/shipTo' the LOC+7
    and the party whose address it is. A place is the address of the NAD+DP, NAD+ST or NAD+UD with that id
    (3039); the place of the header delivery party, and lines without LOC+7, go to the header shipTo. A place
    no NAD gives an address for is an error (no location directory). Each part is a line with the LIN's
    number and price, quantity = QTY+11, lineTotal = QTY+11 x price / basis rounded to the cent; the whole
    line's total is the sum of its parts. The QTY+11 of a line must add up to its QTY+21; a split line with
    line-level ALC is an error (the hub does not apportion them) and its MOA+203 must be quantity x price.
    Header ALC allowances/charges and tax are the order's, stated once: they go to delivery 1. CNT and MOA
    are reconciled once for the message (the sum of the deliveries); any error rejects every delivery. The
    CONTRL still answers per message.
  - lines: one per LIN. lineNo = LIN 1082 (else the rank). sku = the PIA supplier's article number (type SA:
    our own number as the partner writes it, spaces kept), else the LIN item number (C212, usually the GTIN),
    else the PIA ids of types EN, IB, UP, SRV, MF, VN, BP, IN (first found). buyerSku = PIA id of type IN or
    BP, if sku came from elsewhere. The channel's item cross-reference (PUT /api/item-xref/{channel})
    then turns the partner's number into our SKU at intake, keeping the document's number in partnerSku.
    description = IMD 7008 texts, else the line's FTX 4440 text. quantity = QTY+21 (ordered),
    else QTY+1 (discrete); uom = its 6411 or EA.
  - price: PRI+AAA (calculation net) else PRI+AAB (gross); C509 = 5125 qualifier, 5118 price, 5375 type, 5387
    specification, 5284 unit price basis quantity, 6411 its unit. unitPrice = price / 5284 (1 when absent),
    per ordered unit, rounded half-up to 6 decimals; a 6411 other than the QTY unit (a piece code PCE, EA,
    C62, H87, NAR when QTY has no unit) is a precise error (units are not converted); a basis that is not positive is an error. Line source keeps the document's price,
    basis quantity and unit, qualifiers and MOA+203 when a basis or MOA+203 is sent.
  - ALC groups (ALC + PCD/MOA/RTE, 5463 A allowance / C charge, C214 7161 code -> reason, 7160 -> description):
    after a LIN -> the line's discounts and charges, applied only to a gross price (PRI+AAB): a net price
    (PRI+AAA) already includes them. Before the first LIN -> the order's discounts and charges. amount =
    MOA+204/23/8, else PCD+1/2/3 percent of MOA+25 (else of the line's quantity x price / basis; header: of the
    sum of line totals), else RTE+1 rate x line quantity, rounded to 2 decimals. ALC+N and settlement 4471
    1/3/4/5 (settled outside the order) change no amount; another 4471 than 2/6, an ALC without amount,
    percentage or rate, or another 5463 is an error at that segment. ALC groups after UNS (totals per type of
    allowance or charge) restate the header and line ones and are not mapped again.
  - lineTotal = MOA+203 when sent (the validator checks it against quantity x unitPrice - discounts + charges),
    else quantity x price / basis - line allowances + line charges, rounded half-up to 2 decimals.
    taxAmount = line MOA+124.
  - totals (segments after UNS): subtotal = sum of line totals; tax = MOA+124 or MOA+176; discount = sum of
    header allowances (else MOA+260), shipping = sum of header charges, freight and every other (else
    MOA+144 / 23); grandTotal = subtotal - discount + shipping + tax. The document's own totals are
    reconciled, a difference over one cent being an error naming both figures: MOA+79 against the lines
    after or before line allowances and charges (either reading), MOA+86 (message total) and MOA+128 (total
    amount) against grandTotal, MOA+260 against the header allowances. CNT+2 (number of lines) and CNT+1
    (quantity hash) not matching the lines are errors.
  - payment: invoice; terms = PAT "NET<n>" from C112 (days), or its FTX text.
  - shippingMethod = TDT carrier name / id; notes = header FTX texts (4440), joined by newlines.
  - a segment whose tag is not in $known-segments (the ORDERS segments of D96A to D03B) is an error naming
    it: add a tag there when a partner legitimately sends it.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:f="urn:orderhub:edi"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map" exclude-result-prefixes="#all">

  <xsl:variable name="default-currency" as="xs:string" select="''"/>

  <xsl:variable name="known-segments" as="xs:string*" select="tokenize('
      UNH BGM DTM PAI ALI IMD FTX GIR RFF NAD LOC FII CTA COM TAX MOA CUX PAT PCD ALC RNG RTE TDT TOD PAC MEA EQD
      HAN SCC QTY APR LIN PIA PRI QVR DOC MTD CCI CAV GIS SEQ PGI GIN EQA STG DGS PCI RCS RJL IRQ ARD ERC CED SGP
      UNS CNT UNT')"/>

  <xsl:function name="f:at" as="xs:string">
    <xsl:param name="s" as="element(s)"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:param name="component" as="xs:integer"/>
    <xsl:sequence select="'segment ' || $s/@n || ' (' || $s/@t || ')'
        || (if ($element gt 0) then ' element ' || $element else '')
        || (if ($component gt 1) then ' component ' || $component else '')"/>
  </xsl:function>

  <!-- element K, component J as text; () when empty -->
  <xsl:function name="f:v" as="xs:string?">
    <xsl:param name="s" as="element(s)?"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:param name="component" as="xs:integer"/>
    <xsl:variable name="name" select="'e' || $element || (if ($component gt 1) then '.' || $component else '')"/>
    <xsl:sequence select="$s/@*[local-name() = $name]/normalize-space()[. ne '']"/>
  </xsl:function>

  <xsl:function name="f:num" as="xs:decimal?">
    <xsl:param name="s" as="element(s)?"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:param name="component" as="xs:integer"/>
    <xsl:variable name="v" select="f:v($s, $element, $component)"/>
    <xsl:choose>
      <xsl:when test="empty($v)"/>
      <xsl:when test="translate($v, ',', '.') castable as xs:decimal">
        <xsl:sequence select="xs:decimal(translate($v, ',', '.'))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="error(xs:QName('f:number'), f:at($s, $element, $component) || '|''' || $v || ''' is not a number')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- DTM C507: value in component 2, format in component 3 -->
  <!-- one ALC group (ALC + ALI/DTM/QTY/RNG/PCD/MOA/RTE/TAX) as map { 'kind': 'A'|'C', 'adjustment': map {...} };
       () for ALC+N or one settled outside the order amount (4471: 1 bill back, 3 vendor check, 4 credit
       customer account, 5 paid by vendor). $base = the amount a percentage applies to (MOA+25 when sent);
       $quantity = the line quantity a rate (RTE+1, per unit) is multiplied by -->
  <xsl:function name="f:alc" as="map(*)?">
    <xsl:param name="alc" as="element(s)"/>
    <xsl:param name="base" as="xs:decimal?"/>
    <xsl:param name="quantity" as="xs:decimal?"/>
    <xsl:variable name="group" select="f:loop($alc, ('ALI', 'DTM', 'QTY', 'RNG', 'PCD', 'MOA', 'RTE', 'TAX'))"/>
    <xsl:variable name="kind" select="f:v($alc, 1, 1) ! upper-case(.)"/>
    <xsl:variable name="settlement" select="f:v($alc, 3, 1)"/>
    <xsl:variable name="moa" select="(for $q in ('204', '23', '8') return $group[@t = 'MOA'][@e1 = $q])[1]"/>
    <xsl:variable name="amount" select="f:num($moa, 1, 2)"/>
    <xsl:variable name="percent" select="f:num($group[@t = 'PCD'][@e1 = ('1', '2', '3')][1], 1, 2)"/>
    <xsl:variable name="basis" select="(f:num($group[@t = 'MOA'][@e1 = '25'][1], 1, 2), $base)[1]"/>
    <xsl:variable name="rate" select="f:num($group[@t = 'RTE'][@e1 = '1'][1], 1, 2)"/>
    <xsl:variable name="computed" select="if (exists($percent) and exists($basis)) then round($basis * $percent div 100, 2)
        else if (exists($rate) and exists($quantity)) then round($rate * $quantity, 2) else ()"/>
    <xsl:choose>
      <xsl:when test="not($kind = ('A', 'C', 'N'))">
        <xsl:sequence select="map { 'kind': 'error', 'error': map { 'field': f:at($alc, 1, 1), 'message': '''' || $kind
            || ''' is not A (allowance), C (charge) or N (no allowance or charge)' } }"/>
      </xsl:when>
      <xsl:when test="$kind = 'N' or $settlement = ('1', '3', '4', '5')"/>
      <xsl:when test="exists($settlement) and not($settlement = ('2', '6'))">
        <xsl:sequence select="map { 'kind': 'error', 'error': map { 'field': f:at($alc, 3, 1), 'message': 'settlement ''' || $settlement
            || ''' is not one the hub applies (2 off invoice, 6 paid by customer; 1, 3, 4, 5 are settled outside the order)' } }"/>
      </xsl:when>
      <xsl:when test="empty($amount) and empty($computed)">
        <xsl:sequence select="map { 'kind': 'error', 'error': map { 'field': f:at($alc, 0, 0), 'message': 'the ' || (if ($kind = 'A') then 'allowance' else 'charge')
            || ' has no amount (MOA+204, 23 or 8), no percentage with a base (PCD) and no rate per unit (RTE+1)' } }"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="map { 'kind': $kind, 'adjustment': map {
            'amount': ($amount, $computed)[1],
            'reason': f:v($alc, 5, 1),
            'description': string-join((f:v($alc, 5, 4), f:v($alc, 5, 5)), ' ')[. ne ''],
            'percent': $percent,
            'baseAmount': if (exists($percent) and (empty($amount) or abs($amount - $computed) le 0.01)) then $basis else ()
          } }"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- "is X but <what> Y" as an error at a summary MOA when it differs from the computed figure by more than a cent -->
  <xsl:function name="f:reconcile" as="map(*)?">
    <xsl:param name="moa" as="element(s)?"/>
    <xsl:param name="computed" as="xs:decimal*"/>
    <xsl:param name="what" as="xs:string"/>
    <xsl:variable name="stated" select="f:num($moa, 1, 2)"/>
    <xsl:if test="exists($stated) and exists($computed) and (every $c in $computed satisfies abs($stated - $c) gt 0.01)">
      <xsl:sequence select="map { 'field': f:at($moa, 1, 2), 'message': 'is ' || $stated || ' but ' || $what }"/>
    </xsl:if>
  </xsl:function>

  <xsl:function name="f:date" as="xs:string?">
    <xsl:param name="dtm" as="element(s)?"/>
    <xsl:variable name="v" select="f:v($dtm, 1, 2)"/>
    <xsl:variable name="format" select="(f:v($dtm, 1, 3), '102')[1]"/>
    <xsl:variable name="iso" select="
        if ($format = '102' and matches($v, '^\d{8}$')) then replace($v, '^(\d{4})(\d{2})(\d{2})$', '$1-$2-$3T00:00:00Z')
        else if ($format = '203' and matches($v, '^\d{12}$')) then replace($v, '^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$', '$1-$2-$3T$4:$5:00Z')
        else if ($format = '204' and matches($v, '^\d{14}$')) then replace($v, '^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$', '$1-$2-$3T$4:$5:$6Z')
        else if ($format = '101' and matches($v, '^\d{6}$')) then (if (xs:integer(substring($v, 1, 2)) ge 70) then '19' else '20')
            || replace($v, '^(\d{2})(\d{2})(\d{2})$', '$1-$2-$3T00:00:00Z')
        else ()"/>
    <xsl:choose>
      <xsl:when test="empty($dtm)"/>
      <xsl:when test="exists($iso) and $iso castable as xs:dateTime">
        <xsl:sequence select="$iso"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="error(xs:QName('f:date'), f:at($dtm, 1, 2) || '|''' || $v || ''' is not a date in format ' || $format
            || ' (the mapping reads 102 CCYYMMDD, 203 CCYYMMDDHHMM, 204 CCYYMMDDHHMMSS and 101 YYMMDD)')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="f:loop" as="element(s)*">
    <xsl:param name="start" as="element(s)"/>
    <xsl:param name="members" as="xs:string*"/>
    <xsl:variable name="stop" select="$start/following-sibling::s[not(@t = $members)][1]"/>
    <xsl:sequence select="$start/following-sibling::s[empty($stop) or . &lt;&lt; $stop]"/>
  </xsl:function>

  <xsl:function name="f:name" as="xs:string?">
    <xsl:param name="nad" as="element(s)?"/>
    <xsl:sequence select="(string-join(for $c in 1 to 5 return f:v($nad, 4, $c), ' ')[. ne ''], f:v($nad, 3, 1))[1]"/>
  </xsl:function>

  <!-- the first candidate map { 'v': value, 'from': provenance? } that has a value -->
  <xsl:function name="f:first" as="map(*)?">
    <xsl:param name="candidates" as="map(*)*"/>
    <xsl:sequence select="$candidates[exists(?v)][1]"/>
  </xsl:function>

  <!-- a NAD party id (3039) described by its agency (3055) -->
  <xsl:function name="f:id-kind" as="xs:string">
    <xsl:param name="nad" as="element(s)"/>
    <xsl:variable name="agency" select="string(f:v($nad, 2, 3))"/>
    <xsl:sequence select="(map { '9': 'GLN', '16': 'DUNS', '91': 'seller''s number', '92': 'buyer''s number' }($agency),
        'id' || (if ($agency) then ' (agency ' || $agency || ')' else ''))[1]"/>
  </xsl:function>

  <!-- an address's name: the party name, else the party id (recorded in 'from') -->
  <xsl:function name="f:party-name" as="map(*)?">
    <xsl:param name="nad" as="element(s)?"/>
    <xsl:sequence select="$nad ! f:first((map { 'v': f:name(.) },
        map { 'v': f:v(., 2, 1), 'from': f:at(., 2, 1) || ': the NAD+' || @e1 || ' party''s ' || f:id-kind(.)
            || ' (the document gives no name)' }))"/>
  </xsl:function>

  <!-- COM C076 by channel code (TE, EM, FX) in the NAD group -->
  <xsl:function name="f:contact" as="xs:string?">
    <xsl:param name="nad" as="element(s)?"/>
    <xsl:param name="channel" as="xs:string"/>
    <xsl:sequence select="if ($nad) then f:loop($nad, ('LOC', 'FII', 'RFF', 'DTM', 'CTA', 'COM'))[@t = 'COM'][@e1.2 = $channel][1]/f:v(., 1, 1) else ()"/>
  </xsl:function>

  <xsl:function name="f:address" as="map(*)?">
    <xsl:param name="nad" as="element(s)?"/>
    <xsl:if test="$nad and (f:v($nad, 5, 1) or f:v($nad, 6, 1) or f:v($nad, 8, 1))">
      <xsl:sequence select="map {
          'name': f:party-name($nad)?v,
          'line1': f:v($nad, 5, 1),
          'line2': string-join((f:v($nad, 5, 2), f:v($nad, 5, 3), f:v($nad, 5, 4)), ', ')[. ne ''],
          'city': f:v($nad, 6, 1),
          'region': f:v($nad, 7, 1),
          'postalCode': f:v($nad, 8, 1),
          'country': f:v($nad, 9, 1) ! upper-case(.) ! (if (. eq 'UK') then 'GB' else .),
          'phone': f:contact($nad, 'TE'),
          'email': f:contact($nad, 'EM')
        }"/>
    </xsl:if>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="segments" select="/transaction/s"/>
    <xsl:variable name="uns" select="$segments[@t = 'UNS'][1]"/>
    <xsl:variable name="header" select="$segments[empty(preceding-sibling::s[@t = 'LIN']) and not(@t = 'LIN')]"/>
    <xsl:variable name="summary" select="if ($uns) then $uns/following-sibling::s else ()"/>
    <xsl:variable name="bgm" select="$segments[@t = 'BGM'][1]"/>
    <xsl:variable name="purposes" select="map { '9': 'ORIGINAL', '1': 'CANCEL', '4': 'REPLACE', '5': 'REPLACE',
        '7': 'DUPLICATE', '31': 'DUPLICATE', '43': 'DUPLICATE' }"/>
    <xsl:variable name="purpose" select="if (f:v($bgm, 3, 1)) then $purposes(f:v($bgm, 3, 1)) else 'ORIGINAL'"/>
    <xsl:variable name="nad" select="$header[@t = 'NAD']"/>
    <xsl:variable name="by" select="$nad[@e1 = 'BY'][1]"/>
    <xsl:variable name="delivery" select="($nad[@e1 = 'DP'], $nad[@e1 = 'ST'], $by[exists(f:address(.))])[1]"/>
    <xsl:variable name="shipTo" select="f:address($delivery)"/>
    <xsl:variable name="iv" select="$nad[@e1 = 'IV'][1]"/>
    <xsl:variable name="billTo" select="f:address($iv)[every $k in ('name', 'line1', 'city', 'postalCode', 'country')
        satisfies exists(?($k))]"/>
    <xsl:variable name="by-cta" select="if ($by) then f:loop($by, ('LOC', 'FII', 'RFF', 'DTM', 'CTA', 'COM'))[@t = 'CTA'][f:v(., 2, 2)][1] else ()"/>
    <xsl:variable name="customer-name" select="f:first((
        map { 'v': f:name($by) },
        $by-cta ! map { 'v': f:v(., 2, 2), 'from': f:at(., 2, 2) || ': contact name of the NAD+BY party, which gives no name' },
        $iv ! map { 'v': f:name(.), 'from': f:at(., 4, 1) || ': invoicee name (the buyer is not named)' },
        $delivery ! map { 'v': f:name(.), 'from': f:at(., 4, 1) || ': delivery party name (neither buyer nor invoicee is named)' },
        $by ! map { 'v': f:v(., 2, 1), 'from': f:at(., 2, 1) || ': the buyer''s ' || f:id-kind(.)
            || ' (the document gives no buyer name or contact)' }))"/>
    <xsl:variable name="dtm137" select="$header[@t = 'DTM'][@e1 = '137'][1]"/>
    <xsl:variable name="provenance" select="map:merge((
        $customer-name[?from] ! map { '/customer/name': ?from },
        if (exists($shipTo)) then f:party-name($delivery)[?from] ! map { '/shipTo/name': ?from } else (),
        if (exists($shipTo) and $delivery is $by) then map { '/shipTo': f:at($by, 0, 0)
            || ': the buyer''s address (no NAD+DP or NAD+ST delivery party)' } else (),
        if (exists($billTo)) then f:party-name($iv)[?from] ! map { '/billTo/name': ?from } else (),
        if ($iv and empty($billTo)) then map { '/billTo': f:at($iv, 0, 0) || ': left out, the NAD+IV party has no complete'
            || ' address (street, city, postal code and country); the bill-to is optional' } else (),
        if (exists($shipTo) and upper-case(f:v($delivery, 9, 1)) eq 'UK') then map { '/shipTo/country': f:at($delivery, 9, 1)
            || ': UK, the code ISO 3166 reserves for the United Kingdom, read as GB' } else (),
        if (exists($billTo) and upper-case(f:v($iv, 9, 1)) eq 'UK') then map { '/billTo/country': f:at($iv, 9, 1)
            || ': UK, the code ISO 3166 reserves for the United Kingdom, read as GB' } else (),
        $dtm137[f:v(., 1, 3) = '101'] ! map { '/orderDate': f:at(., 1, 2)
            || ': six-digit YYMMDD date (format 101), century from the window 1970-2069' }
      ))"/>
    <xsl:variable name="lines" as="map(*)*">
      <xsl:for-each select="$segments[@t = 'LIN']">
        <xsl:variable name="lin" select="."/>
        <xsl:variable name="stop" select="($lin/following-sibling::s[@t = ('LIN', 'UNS', 'UNT')])[1]"/>
        <xsl:variable name="group" select="$lin/following-sibling::s[empty($stop) or . &lt;&lt; $stop]"/>
        <xsl:variable name="ids" select="for $pia in $group[@t = 'PIA'], $k in 2 to 6 return
            if (f:v($pia, $k, 1)) then map { 'id': f:v($pia, $k, 1), 'type': string(f:v($pia, $k, 2)) } else ()"/>
        <xsl:variable name="linId" select="f:v($lin, 3, 1)"/>
        <xsl:variable name="buyerSku" select="$ids[?type = ('IN', 'BP')][1]?id"/>
        <xsl:variable name="sku" select="($ids[?type = 'SA'][1]?id, $linId, (for $t in ('EN', 'IB', 'UP', 'SRV', 'MF', 'VN') return $ids[?type = $t]?id)[1])[1]"/>
        <xsl:variable name="qty" select="($group[@t = 'QTY'][@e1 = '21'], $group[@t = 'QTY'][@e1 = '1'])[1]"/>
        <xsl:variable name="quantity" select="f:num($qty, 1, 2)"/>
        <xsl:variable name="net" select="$group[@t = 'PRI'][@e1 = 'AAA'][1]"/>
        <xsl:variable name="gross" select="$group[@t = 'PRI'][@e1 = 'AAB'][1]"/>
        <!-- PRI C509: 5125 qualifier, 5118 price, 5375 type, 5387 specification, 5284 basis quantity, 6411 its unit -->
        <xsl:variable name="pri" select="($net, $gross)[1]"/>
        <xsl:variable name="doc-price" select="f:num($pri, 1, 2)"/>
        <xsl:variable name="basis" select="(f:num($pri, 1, 5), 1.0)[1]"/>
        <xsl:variable name="basis-unit" select="f:v($pri, 1, 6) ! upper-case(.)"/>
        <xsl:variable name="checked-basis" select="
            if ($basis le 0) then error(xs:QName('f:basis'), f:at($pri, 1, 5) || '|the unit price basis ''' || $basis || ''' is not a positive quantity')
            else if (exists($basis-unit) and $basis-unit ne upper-case((f:v($qty, 1, 3), 'PCE')[1])
                     and not(empty(f:v($qty, 1, 3)) and $basis-unit = ('PCE', 'EA', 'C62', 'H87', 'NAR')))
            then error(xs:QName('f:basis'), f:at($pri, 1, 6) || '|the price is per ' || $basis || ' ' || $basis-unit
                || ' but the quantity is in ' || (upper-case(f:v($qty, 1, 3)), 'pieces (QTY without a unit)')[1]
                || ' (QTY 6411): the hub does not convert units, so the price per ordered unit is unknown')
            else $basis"/>
        <xsl:variable name="price" select="if (exists($doc-price)) then round($doc-price div $checked-basis, 6) else ()"/>
        <xsl:variable name="line-gross" select="if (exists($quantity) and exists($doc-price)) then $quantity * $doc-price div $checked-basis else ()"/>
        <!-- with a net price (PRI+AAA) the line's ALC only say how it was reached: they are not applied again -->
        <xsl:variable name="alcs" select="if ($net) then () else $group[@t = 'ALC'] ! f:alc(., $line-gross, $quantity)"/>
        <xsl:variable name="discounts" select="$alcs[?kind = 'A']?adjustment"/>
        <xsl:variable name="charges" select="$alcs[?kind = 'C']?adjustment"/>
        <xsl:variable name="moa203" select="f:num($group[@t = 'MOA'][@e1 = '203'][1], 1, 2)"/>
        <xsl:variable name="lineNo" select="f:v($lin, 1, 1)"/>
        <!-- split delivery: LOC+7 places of delivery, each followed by its QTY+11 (split quantity) -->
        <xsl:variable name="portions" select="for $loc in $group[@t = 'LOC'][@e1 = '7'] return
            let $q := $loc/following-sibling::s[@t = ('LOC', 'QTY', 'LIN', 'UNS')][1][@t = 'QTY'][@e1 = '11']
            return map { 'loc': $loc, 'qty': $q, 'quantity': f:num($q, 1, 2),
                'lineTotal': if (exists($doc-price) and exists(f:num($q, 1, 2)))
                             then round(f:num($q, 1, 2) * $doc-price div $checked-basis, 2) else () }"/>
        <xsl:sequence select="map {
            'lineNo': if ($lineNo castable as xs:integer and xs:integer($lineNo) gt 0) then xs:integer($lineNo) else position(),
            'sku': ($sku, $buyerSku)[1],
            'buyerSku': if ($sku) then $buyerSku else (),
            'description': (string-join($group[@t = 'IMD']/(f:v(., 3, 4), f:v(., 3, 5)), ' ')[. ne ''],
                            string-join($group[@t = 'FTX'][1]/(for $c in 1 to 5 return f:v(., 4, $c)), ' ')[. ne ''])[1],
            'quantity': $quantity,
            'uom': (f:v($qty, 1, 3) ! upper-case(.), 'EA')[1],
            'unitPrice': $price,
            'lineTotal': if (exists($portions) and (every $p in $portions satisfies exists($p?lineTotal)))
                         then sum($portions?lineTotal, 0.0)
                         else ($moa203, if (exists($line-gross)) then round($line-gross - sum($discounts?amount, 0.0)
                + sum($charges?amount, 0.0), 2) else ())[1],
            'taxAmount': f:num($group[@t = 'MOA'][@e1 = '124'][1], 1, 2),
            'discounts': if (exists($discounts)) then array { $discounts } else (),
            'charges': if (exists($charges)) then array { $charges } else (),
            'source': if (exists(f:v($pri, 1, 5)) or exists($moa203)) then map {
                'price': $doc-price, 'basisQuantity': $basis, 'basisUnit': $basis-unit,
                'basisCode': string-join(($pri/f:v(., 1, 1), f:v($pri, 1, 3), f:v($pri, 1, 4)), ':'),
                'lineAmount': $moa203 } else (),
            'grossAmount': $line-gross,
            'adjustmentErrors': ($alcs[?kind = 'error']?error,
              for $p in $portions[empty(?quantity) or ?quantity le 0] return map { 'field': f:at($p?loc, 0, 0),
                'message': 'the delivery location of line ' || $lineNo || ' has no positive QTY+11 (split quantity) after it' },
              if (exists($portions) and exists($quantity) and sum($portions?quantity, 0) ne $quantity) then map {
                'field': f:at($qty, 1, 2), 'message': 'line ' || $lineNo || ' orders ' || $quantity
                || ' but its QTY+11 split quantities for the LOC+7 delivery locations add up to ' || sum($portions?quantity, 0) }
                else (),
              if (exists($portions) and exists($group[@t = 'ALC'])) then map { 'field': f:at($group[@t = 'ALC'][1], 0, 0),
                'message': 'line ' || $lineNo || ' is split over LOC+7 delivery locations and carries allowances or'
                || ' charges (ALC); the hub does not apportion them between the deliveries' } else (),
              if (exists($portions) and exists($moa203) and exists($line-gross) and abs($moa203 - round($line-gross, 2)) gt 0.01)
                then map { 'field': f:at($group[@t = 'MOA'][@e1 = '203'][1], 1, 2), 'message': 'is ' || $moa203
                || ' but quantity x price is ' || round($line-gross, 2) } else ()),
            'portions': $portions
          }"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="moa" select="$summary[@t = 'MOA']"/>
    <xsl:variable name="subtotal" select="sum($lines?lineTotal, 0.0)"/>
    <xsl:variable name="tax" select="(f:num($moa[@e1 = ('124', '176')][1], 1, 2), 0.0)[1]"/>
    <xsl:variable name="header-alcs" select="$header[@t = 'ALC'] ! f:alc(., if (every $l in $lines satisfies exists($l?lineTotal)) then $subtotal else (), ())"/>
    <xsl:variable name="discounts" select="$header-alcs[?kind = 'A']?adjustment"/>
    <xsl:variable name="charges" select="$header-alcs[?kind = 'C']?adjustment"/>
    <xsl:variable name="discount" select="if (exists($discounts)) then sum($discounts?amount, 0.0)
        else (f:num($moa[@e1 = '260'][1], 1, 2), 0.0)[1]"/>
    <xsl:variable name="shipping" select="if (exists($charges)) then sum($charges?amount, 0.0)
        else (f:num($moa[@e1 = ('144', '23')][1], 1, 2), 0.0)[1]"/>
    <xsl:variable name="grand" select="$subtotal - $discount + $shipping + $tax"/>
    <xsl:variable name="priced-lines" select="count($lines[exists(?lineTotal)]) eq count($lines)"/>
    <xsl:variable name="cux" select="($header[@t = 'CUX'][@e1 = '2'], $header[@t = 'CUX'])[1]"/>
    <xsl:variable name="pat" select="$header[@t = 'PAT'][1]"/>
    <xsl:variable name="tdt" select="$header[@t = 'TDT'][1]"/>
    <xsl:variable name="cnt-lines" select="$summary[@t = 'CNT'][@e1 = '2'][1]"/>
    <xsl:variable name="cnt-hash" select="$summary[@t = 'CNT'][@e1 = '1'][1]"/>
    <xsl:variable name="errors" as="map(*)*">
      <xsl:if test="empty($purpose)">
        <xsl:sequence select="map { 'field': f:at($bgm, 3, 0), 'message': 'message function ''' || f:v($bgm, 3, 1)
            || ''' does not ask for an order; accepted: 9 original, 1 cancellation, 4 change, 5 replace, 7 duplicate, 31 copy, 43 additional transmission' }"/>
      </xsl:if>
      <xsl:if test="$delivery and empty($shipTo)">
        <xsl:sequence select="map { 'field': f:at($delivery, 2, 0), 'message': 'the delivery party is given only by its id'
            || (if (f:v($delivery, 2, 1)) then ' ''' || f:v($delivery, 2, 1) || '''' else '')
            || ' without name and address; the hub has no location directory to look it up' }"/>
      </xsl:if>
      <xsl:if test="empty($delivery) and exists($lines[empty(?portions)])">
        <xsl:sequence select="map { 'field': 'message ' || /transaction/@number,
            'message': 'has no delivery party (NAD+DP or NAD+ST) and the buyer has no address' }"/>
      </xsl:if>
      <xsl:sequence select="$lines ! .?adjustmentErrors, $header-alcs[?kind = 'error']?error"/>
      <xsl:for-each select="$segments[not(@t = $known-segments)]">
        <xsl:sequence select="map { 'field': f:at(., 0, 0), 'message': 'is not a segment of an ORDERS message' }"/>
      </xsl:for-each>
      <xsl:if test="$cnt-lines and f:num($cnt-lines, 1, 2) ne count($lines)">
        <xsl:sequence select="map { 'field': f:at($cnt-lines, 1, 2),
            'message': 'says ' || f:num($cnt-lines, 1, 2) || ' lines, the message has ' || count($lines) || ' LIN segments' }"/>
      </xsl:if>
      <xsl:if test="$priced-lines">
        <xsl:sequence select="f:reconcile($moa[@e1 = '79'][1], ($subtotal, round(sum($lines?grossAmount, 0.0), 2)),
            'the lines add up to ' || $subtotal || (if ($subtotal ne round(sum($lines?grossAmount, 0.0), 2))
            then ' (' || round(sum($lines?grossAmount, 0.0), 2) || ' before line allowances and charges)' else ''))"/>
        <xsl:for-each select="$moa[@e1 = ('86', '128')]">
          <xsl:sequence select="f:reconcile(., $grand, 'lines − allowances + charges + tax is ' || $grand
              || ' (' || $subtotal || ' − ' || $discount || ' + ' || $shipping || ' + ' || $tax || ')')"/>
        </xsl:for-each>
        <xsl:if test="exists($discounts)">
          <xsl:sequence select="f:reconcile($moa[@e1 = '260'][1], $discount, 'the header allowances (ALC+A) add up to ' || $discount)"/>
        </xsl:if>
      </xsl:if>
      <xsl:if test="$cnt-hash and f:num($cnt-hash, 1, 2) ne sum($lines?quantity)">
        <xsl:sequence select="map { 'field': f:at($cnt-hash, 1, 2),
            'message': 'says the quantities add up to ' || f:num($cnt-hash, 1, 2) || ', they add up to ' || sum($lines?quantity) }"/>
      </xsl:if>
    </xsl:variable>
    <xsl:variable name="whole" select="map {
        'order': map {
          'externalId': f:v($bgm, 2, 1),
          'purpose': $purpose[. ne 'ORIGINAL'],
          'orderDate': f:date($dtm137),
          'currency': (f:v($cux, 1, 2) ! upper-case(.), $default-currency[. ne ''])[1],
          'customer': map {
            'name': $customer-name?v,
            'externalId': f:v($by, 2, 1),
            'phone': f:contact($by, 'TE'),
            'email': f:contact($by, 'EM')
          },
          'billTo': $billTo,
          'shipTo': $shipTo,
          'lines': array { $lines ! map:remove(., ('grossAmount', 'adjustmentErrors', 'portions')) },
          'discounts': if (exists($discounts)) then array { $discounts } else (),
          'charges': if (exists($charges)) then array { $charges } else (),
          'totals': map {
            'subtotal': $subtotal,
            'discount': $discount,
            'shipping': $shipping,
            'tax': $tax,
            'grandTotal': $grand
          },
          'payment': map {
            'method': 'invoice',
            'terms': if (f:v($pat, 3, 3) = 'D' and f:v($pat, 3, 4)) then 'NET' || f:v($pat, 3, 4)
                     else f:v($pat, 2, 5)
          },
          'shippingMethod': (f:v($tdt, 5, 4), f:v($tdt, 5, 1))[1],
          'notes': string-join($header[@t = 'FTX']/(for $c in 1 to 5 return f:v(., 4, $c)), '&#10;')[. ne ''],
          'provenance': if (map:size($provenance) gt 0) then $provenance else ()
        },
        'errors': array { $errors }
      }"/>
    <!-- split delivery: lines with LOC+7/QTY+11 make one order per delivery location (see header) -->
    <xsl:variable name="places" select="$nad[@e1 = ('DP', 'ST', 'UD')][exists(f:address(.))]"/>
    <xsl:variable name="parts" as="map(*)*" select="for $l in $lines return
        if (empty($l?portions)) then map { 'key': '', 'line': $l }
        else for $p in $l?portions return map {
          'key': if (f:v($p?loc, 2, 1) = f:v($delivery, 2, 1) and exists($shipTo)) then '' else string(f:v($p?loc, 2, 1)),
          'loc': $p?loc,
          'line': map:merge((map { 'quantity': $p?quantity, 'lineTotal': $p?lineTotal }, $l)) }"/>
    <xsl:variable name="keys" select="$parts ! ?key"/>
    <xsl:variable name="deliveries" select="$keys[not(. = subsequence($keys, 1, position() - 1))]"/>
    <xsl:choose>
      <xsl:when test="empty($lines[exists(?portions)])">
        <xsl:sequence select="$whole"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="po" select="f:v($bgm, 2, 1)"/>
        <xsl:variable name="split-errors" as="map(*)*">
          <xsl:for-each select="$parts[?key ne '']">
            <xsl:variable name="part" select="."/>
            <xsl:if test="empty($places[f:v(., 2, 1) = $part?key])">
              <xsl:sequence select="map { 'field': f:at($part?loc, 2, 1), 'message': 'delivery location '''
                  || $part?key || ''' of line ' || $part?line?lineNo || ' is given only by its id and no NAD+DP, NAD+ST'
                  || ' or NAD+UD of the message gives its address; the hub has no location directory to look it up' }"/>
            </xsl:if>
          </xsl:for-each>
        </xsl:variable>
        <xsl:sequence select="map { 'orders': array { for $k in 1 to count($deliveries) return
            let $key := $deliveries[$k],
                $mine := $parts[?key eq $key],
                $party := if ($key eq '') then $delivery else $places[f:v(., 2, 1) = $key][1],
                $address := if ($key eq '') then $shipTo else f:address($party),
                $my-lines := $mine ! ?line,
                $sub := sum($my-lines ! ?lineTotal, 0.0),
                $first := $k eq 1,
                $order := $whole?order
            return map {
              'documentId': $po,
              'order': map:merge((
                map:remove($order, ('externalId', 'shipTo', 'lines', 'totals', 'discounts', 'charges', 'provenance')),
                map {
                  'externalId': if (exists($po)) then $po || '-' || $k else (),
                  'shipTo': $address,
                  'lines': array { $my-lines ! map:remove(., ('grossAmount', 'adjustmentErrors', 'portions')) },
                  'totals': map { 'subtotal': $sub, 'discount': if ($first) then $discount else 0.0,
                                  'shipping': if ($first) then $shipping else 0.0, 'tax': if ($first) then $tax else 0.0,
                                  'grandTotal': if ($first) then $sub - $discount + $shipping + $tax else $sub },
                  'provenance': map:merge((map:remove($provenance, ('/shipTo', '/shipTo/name')),
                    map { '/externalId': f:at($bgm, 2, 1) || ': order ''' || $po || ''' delivers to '
                        || count($deliveries) || ' places (LOC+7 with QTY+11 in its LIN groups); this order is delivery '
                        || $k || ' of ' || count($deliveries) || ', lines '
                        || string-join($mine ! (string(?line?lineNo) || ' (' || ?line?quantity || ')'), ', ') },
                    if ($key ne '') then map { '/shipTo': f:at($mine[1]?loc, 2, 1) || ': LOC+7 delivery location '''
                        || $key || ''', the address of the ' || $party/@e1 || ' party at ' || f:at($party, 0, 0) } else (),
                    if (exists($address)) then f:party-name($party)[?from] ! map { '/shipTo/name': ?from } else (),
                    if ($first and ($discount ne 0 or $shipping ne 0 or $tax ne 0) and count($deliveries) gt 1)
                      then map { '/totals': 'the header''s allowances, charges and tax (ALC, MOA) are the order''s,'
                        || ' stated once: they go to delivery 1' } else ()))
                },
                if ($first) then map { 'discounts': $order?discounts, 'charges': $order?charges } else ()
              )),
              'errors': array { $errors, $split-errors }
            } } }"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
