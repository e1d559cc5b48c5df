package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.orderhub.channel.ChannelRegistry;
import io.orderhub.outbound.Acknowledgements.Verdict;
import org.junit.jupiter.api.Test;

/**
 * How a partner's acknowledgement is read before it is matched (no database): X12 997 and 999 per
 * transaction set with the notes that become the reason, a group acknowledged without AK2, EDIFACT CONTRL per
 * message and per interchange; and the channel settings refusing outbound values they do not know.
 */
class AcknowledgementReadingTest {

    static List<Verdict> x12(String... segments) {
        String isa = "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*ORDERHUB       *261206*1100*U*00401*000000777*0*P*>";
        String text = isa + "~\n" + String.join("~\n", segments) + "~\nIEA*1*000000777~\n";
        return Acknowledgements.x12Verdicts(Acknowledgements.segments(text));
    }

    @Test
    void a997RejectingOneSetNamesItsSegmentAndElementErrors() {
        List<Verdict> v = x12("GS*FA*ACMEBUYER*ORDERHUB*20261206*1100*777*X*004010", "ST*997*0001", "AK1*PR*57",
                "AK2*855*0057", "AK3*BAK*2**8", "AK4*3**5*PO-THAT-IS-FAR-TOO-LONG", "AK5*R*5", "AK2*855*0058", "AK5*A",
                "AK9*P*2*2*1", "SE*10*0001", "GE*1*777");
        assertThat(v).containsExactly(
                new Verdict("57", "0057", false, "AK5 R (codes 5): segment BAK at 2 (code 8); element 3 (code 5): "
                        + "'PO-THAT-IS-FAR-TOO-LONG'"),
                new Verdict("57", "0058", true, null));
    }

    @Test
    void a999AcceptedWithErrorsIsAcknowledgedAndKeepsTheNote() {
        List<Verdict> v = x12("GS*FA*ACMEBUYER*ORDERHUB*20261206*1100*777*X*005010X231A1", "ST*999*0001", "AK1*SH*70",
                "AK2*856*0070", "IK3*TD5*5**8", "IK5*E*I5", "AK9*E*1*1*1", "SE*7*0001", "GE*1*777");
        assertThat(v).containsExactly(new Verdict("70", "0070", true, "IK5 E (codes I5): segment TD5 at 5 (code 8)"));
    }

    @Test
    void aGroupAcknowledgedWithoutSetsTakesItsAk9() {
        List<Verdict> v = x12("GS*FA*ACMEBUYER*ORDERHUB*20261206*1100*777*X*004010", "ST*997*0001", "AK1*PR*61",
                "AK9*R*1*1*0", "SE*4*0001", "GE*1*777");
        assertThat(v).containsExactly(new Verdict("61", null, false, "AK9 R"));
    }

    @Test
    void aContrlAnswersPerMessageOrForTheWholeInterchange() {
        String perMessage = "UNA:+.? 'UNB+UNOC:3+4012345000009:14+ORDERHUB:ZZZ+261206:1100+C9'UNH+1+CONTRL:D:3:UN'"
                + "UCI+9+ORDERHUB:ZZZ+4012345000009:14+4'UCM+9+ORDRSP:D:96A:UN+4'UCS+5+12'UCD+13+2:1'UNT+6+1'UNZ+1+C9'";
        assertThat(Acknowledgements.contrlVerdicts(Acknowledgements.segments(perMessage))).containsExactly(
                new Verdict("9", "9", false, "UCM action 4: segment 5 (error 12); element 2:1 (error 13)"));
        String whole = "UNA:+.? 'UNB+UNOC:3+4012345000009:14+ORDERHUB:ZZZ+261206:1100+C10'UNH+1+CONTRL:D:3:UN'"
                + "UCI+10+ORDERHUB:ZZZ+4012345000009:14+7'UNT+3+1'UNZ+1+C10'";
        assertThat(Acknowledgements.contrlVerdicts(Acknowledgements.segments(whole))).containsExactly(
                new Verdict("10", null, true, null));
    }

    @Test
    void channelSettingsRefuseOutboundValuesTheyDoNotKnow() {
        assertThatThrownBy(() -> parse("outbound: {documents: [order-response, remittance-advice]}"))
                .hasMessageContaining("channel 'p' outbound.documents lists 'remittance-advice'");
        assertThat(parse("outbound: {documents: [invoice, credit-note]}").get("p").outbound().documents())
                .containsExactly("invoice", "credit-note");
        assertThatThrownBy(() -> parse("outbound: {format: idoc}"))
                .hasMessageContaining("outbound.format is 'idoc'");
        assertThatThrownBy(() -> parse("outbound: {transport: {type: rest, secret: '${ACME_SECRET}'}}"))
                .hasMessageContaining("channel 'p' outbound.transport.url is missing");
        assertThatThrownBy(() -> parse("outbound: {transport: {type: rest, url: 'ftp://partner.example/in', secret: '${ACME_SECRET}'}}"))
                .hasMessageContaining("channel 'p' outbound.transport.url 'ftp://partner.example/in' is not an http(s) URL");
        assertThatThrownBy(() -> parse("outbound: {transport: {type: rest, url: 'https://partner.example/in'}}"))
                .hasMessageContaining("channel 'p' outbound.transport.secret is missing");
        assertThatThrownBy(() -> parse("outbound: {transport: {type: rest, url: 'https://partner.example/in', secret: s3cr3t}}"))
                .hasMessageContaining("channel 'p' outbound.transport.secret must be a placeholder")
                .hasMessageNotContaining("s3cr3t");
        assertThat(parse("outbound: {transport: {type: rest, url: 'https://partner.example/in', secret: '${ACME_SECRET}'}}")
                .get("p").outbound().transport().secret()).isEqualTo("${ACME_SECRET}");
        assertThatThrownBy(() -> parse("outbound: {transport: {type: mail, to: 'edi@partner.example, x@y.example'}}"))
                .hasMessageContaining("channel 'p' outbound.transport.to 'edi@partner.example, x@y.example' is not one e-mail address");
        assertThat(parse("outbound: {transport: {type: mail, to: edi@partner.example}}").get("p").outbound().transport().to())
                .isEqualTo("edi@partner.example");
        assertThat(parse("outbound: {transport: {type: mail}}").get("p").outbound().transport().to()).isNull();
        assertThatThrownBy(() -> parse("outbound: {acknowledgementWindow: 24h}"))
                .hasMessageContaining("acknowledgementWindow '24h' is not an ISO-8601 duration");
        assertThat(parse("outbound: {x12: {senderId: US, receiverId: THEM}}").get("p").outbound().documents())
                .containsExactly("order-response", "ship-notice", "invoice", "credit-note");
    }

    @Test
    void aChannelsWebhookSecretIsAPlaceholderNeverTheSecretItself() {
        assertThat(ChannelRegistry.parse("channels:\n  - id: p\n    webhookSecret: '${P_WEBHOOK_SECRET}'\n"
                .getBytes(StandardCharsets.UTF_8)).get("p").webhookSecret()).isEqualTo("${P_WEBHOOK_SECRET}");
        assertThat(ChannelRegistry.parse("channels:\n  - id: p\n".getBytes(StandardCharsets.UTF_8)).get("p")
                .webhookSecret()).isNull();
        assertThatThrownBy(() -> ChannelRegistry.parse("channels:\n  - id: p\n    webhookSecret: shpss_s3cr3t\n"
                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("channel 'p' webhookSecret must be a placeholder").hasMessageNotContaining("s3cr3t");
    }

    private static java.util.Map<String, io.orderhub.channel.Channel> parse(String outbound) {
        return ChannelRegistry.parse(("channels:\n  - id: p\n    " + outbound + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
