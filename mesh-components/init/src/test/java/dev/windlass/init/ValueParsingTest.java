package dev.windlass.init;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CIDRs and port lists as the annotations write them. */
class ValueParsingTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.0.0.0/8",
            "10.1.2.3/8, 10.0.0.0/8",
            "192.168.1.77/32, 192.168.1.77/32",
            "0.0.0.0/0, 0.0.0.0/0",
            "255.255.255.255/1, 128.0.0.0/1",
            "127.0.0.1/32, 127.0.0.1/32"})
    void parsesCidrsIntoCanonicalForm(String text, String canonical) {
        assertThat(Ipv4Cidr.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0/8", "10.0.0.256/8", "10.0.0.0/33", "10.0.0.0/", "a.b.c.d/8",
            "10.0.0.0/8/8", "", "/8", "10.0.0.-1/8", "1..2.3/8", "fd00::/8"})
    void refusesWhatIsNotAnIpv4Cidr(String text) {
        assertThatThrownBy(() -> Ipv4Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void knowsLoopbackRanges() {
        assertThat(Ipv4Cidr.parse("127.0.0.0/8").isLoopback()).isTrue();
        assertThat(Ipv4Cidr.parse("127.0.0.1/32").isLoopback()).isTrue();
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").isLoopback()).isFalse();
        assertThat(Ipv4Cidr.parse("10.0.0.0/8").isLoopback()).isFalse();
    }

    @Test
    void ipRangesTrimSkipEmptyItemsSortAndDeduplicate() {
        IpRanges ranges = ValueLists.ipRanges(" 10.0.0.0/8 ,,192.168.0.0/16, 10.9.0.0/8,", true);
        assertThat(ranges.all()).isFalse();
        assertThat(ranges.cidrs()).extracting(Ipv4Cidr::toString).containsExactly("10.0.0.0/8", "192.168.0.0/16");
    }

    @Test
    void wildcardMeansAllOnlyWhereAllowedAndAlone() {
        assertThat(ValueLists.ipRanges("*", true)).isEqualTo(IpRanges.ALL);
        assertThat(ValueLists.ports(" * ", true)).isEqualTo(PortSelection.ALL);
        assertThatThrownBy(() -> ValueLists.ipRanges("*", false)).hasMessageContaining("'*' is not allowed here");
        assertThatThrownBy(() -> ValueLists.ports("*,80", true)).hasMessageContaining("must be the only item");
    }

    @Test
    void emptyMeansNone() {
        assertThat(ValueLists.ipRanges("", true)).isEqualTo(IpRanges.NONE);
        assertThat(ValueLists.ports(" , ", true)).isEqualTo(PortSelection.NONE);
    }

    @Test
    void portsAreSortedAndDeduplicated() {
        assertThat(ValueLists.ports("9080, 80,9080,65535,1", false).ports()).containsExactly(1, 80, 9080, 65535);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "0|port 0 is out of range (1 to 65535)",
            "65536|port 65536 is out of range (1 to 65535)",
            "80,http|'http' is not a port number",
            "-1|'-1' is not a port number",
            "8080-8090|'8080-8090' is not a port number",
            "123456|'123456' is not a port number"})
    void refusesBadPortsNamingTheItem(String value, String message) {
        assertThatThrownBy(() -> ValueLists.ports(value, false)).hasMessage(message);
    }

    @Test
    void refusesBadCidrsNamingTheItem() {
        assertThatThrownBy(() -> ValueLists.ipRanges("10.0.0.0/8,10.0.0.1", true))
                .hasMessage("'10.0.0.1' is not a CIDR (expected a.b.c.d/n)");
        assertThatThrownBy(() -> ValueLists.ipRanges("fd00::/8", true))
                .hasMessage("'fd00::/8' is an IPv6 range; only IPv4 ranges are supported so far");
    }

    @Test
    void configRecordRefusesPortsOutOfRange() {
        assertThatThrownBy(() -> CaptureConfig.defaults().withExcludeOutboundPorts(List.of(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
