package dev.ward.taskdef.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {
    @Test
    void bothFormsByOneRule() throws BadInputException {
        ObjNode root = (ObjNode) YamlSource.parse("""
                a: !Ref Image
                b: !GetAtt Role.Arn
                c: {"Fn::Sub": "${AWS::Region}"}
                d: {Ref: X}
                e: {Condition: C}
                f: {Ref: X, Other: 1}
                g: !!str plain
                """, "t.yaml");
        assertThat(root.members().values()).extracting(Node::intrinsic)
                .containsExactly(true, true, true, true, true, false, false);
        assertThat(Intrinsics.longName("!Ref")).isEqualTo("Ref");
        assertThat(Intrinsics.longName("!Condition")).isEqualTo("Condition");
        assertThat(Intrinsics.longName("!GetAtt")).isEqualTo("Fn::GetAtt");
        assertThat(Intrinsics.shortTag("Fn::Sub")).isEqualTo("!Sub");
        assertThat(Intrinsics.shortTag("Ref")).isEqualTo("!Ref");
        assertThat(Intrinsics.shortTag("Fn::Unknown")).isNull();
        assertThat(Intrinsics.isShortTag("!Sub")).isTrue();
        assertThat(Intrinsics.isShortTag("tag:yaml.org,2002:str")).isFalse();
    }

    @Test
    void yamlIntegersAreReadTheSameEverywhereHexAndOctalIncluded() throws BadInputException {
        ObjNode root = (ObjNode) YamlSource.parse("""
                dec: 512
                hex: 0x1F
                oct: 0o17
                plus: +7
                big: 123456789012345678901234567890
                float: 1.5
                inf: .inf
                quoted: "0x1F"
                """, "t.yaml");
        assertThat(root.members().values()).extracting(n -> ((ValNode) n).value()).containsExactly(512L, 31L, 15L, 7L,
                new BigInteger("123456789012345678901234567890"), new BigDecimal("1.5"), ".inf", "0x1F");
    }
}
