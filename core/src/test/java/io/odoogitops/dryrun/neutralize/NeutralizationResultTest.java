package io.odoogitops.dryrun.neutralize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class NeutralizationResultTest {

  @Test
  void aReportWrittenBeforeOdoosFilesWereRunReadsBackAsBuiltInSteps() throws Exception {
    NeutralizationResult old = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .readValue("""
            {"applied": [{"id": "crons-off", "table": "ir_cron", "rows": 3, "reference": "base/data/neutralize.sql"}],
             "skipped": [], "userScripts": [],
             "checks": [{"id": "crons-off", "table": "ir_cron", "passed": true, "count": 0, "detail": "ok"}]}
            """, NeutralizationResult.class);

    assertThat(old.method()).isEqualTo(NeutralizationResult.BUILT_IN);
    assertThat(old.files()).isEmpty();
    assertThat(old.withoutFile()).isEmpty();
    assertThat(old.applied()).singleElement().extracting(NeutralizationResult.AppliedStep::rows).isEqualTo(3);
    assertThat(old.checks()).singleElement().extracting(NeutralizationCheck::checked).isNull();
  }
}
