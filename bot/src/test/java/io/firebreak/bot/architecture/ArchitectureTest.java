package io.firebreak.bot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.firebreak.storage.timeline.Timeline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The code map, checked: features own their Slack and HTTP faces, services hold decisions without Slack or servlet
 * types, plumbing knows no feature, and nothing depends in a circle. See the README's "Code map".
 */
class ArchitectureTest {
    /** Every feature package under {@code io.firebreak.bot}; a new feature is added here and in the README. */
    static final String[] FEATURES = {
        "incident",
        "capture",
        "containment",
        "evidence",
        "postmortem",
        "intake",
        "handoff",
        "integrity",
        "signals",
        "rules",
        "paging",
        "install"
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importMainCode() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.firebreak");
    }

    @Test
    void storageKnowsNothingOfTheBot() {
        noClasses()
                .that()
                .resideInAPackage("io.firebreak.storage..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.firebreak.bot..")
                .check(classes);
    }

    @Test
    void noCycleBetweenTopLevelPackages() {
        slices().matching("io.firebreak.bot.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noCycleBetweenPlatformMechanisms() {
        slices().matching("io.firebreak.bot.platform.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    @Test
    void plumbingKnowsNoFeature() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.firebreak.bot.slack..",
                        "io.firebreak.bot.web..",
                        "io.firebreak.bot.platform..",
                        "io.firebreak.bot.feature..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(featurePackages())
                .check(classes);
    }

    @ParameterizedTest
    @MethodSource("features")
    void servicesUseNoSlackOrServletTypes(String feature) {
        // The feature's *Feature class assembles its faces and is the one class of the package allowed to name them.
        noClasses()
                .that()
                .resideInAPackage("io.firebreak.bot." + feature)
                .and()
                .haveSimpleNameNotEndingWith("Feature")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "com.slack..",
                        "io.firebreak.bot.slack..",
                        "jakarta.servlet..",
                        "org.eclipse.jetty..",
                        "io.firebreak.bot.web..",
                        "io.firebreak.bot." + feature + ".slack..",
                        "io.firebreak.bot." + feature + ".web..")
                .check(classes);
    }

    @ParameterizedTest
    @MethodSource("features")
    void noFeatureReachesIntoAnotherFeaturesFaces(String feature) {
        noClasses()
                .that()
                .resideInAPackage("io.firebreak.bot..")
                .and()
                .resideOutsideOfPackage("io.firebreak.bot." + feature + "..")
                .and()
                .resideOutsideOfPackage("io.firebreak.bot")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.firebreak.bot." + feature + ".slack..", "io.firebreak.bot." + feature + ".web..")
                .check(classes);
    }

    @Test
    void everyTimelineWriteGoesThroughTheRecorder() {
        noClasses()
                .that()
                .resideInAPackage("io.firebreak.bot..")
                .and()
                .doNotHaveSimpleName("TimelineRecorder")
                .should()
                .callMethod(Timeline.class, "append", long.class, String.class, String.class, JsonNode.class)
                .orShould()
                .callMethod(Timeline.class, "start", long.class, String.class, String.class, JsonNode.class)
                .orShould()
                .callMethod(
                        Timeline.class,
                        "open",
                        io.firebreak.storage.incident.NewIncident.class,
                        boolean.class,
                        java.time.Instant.class,
                        String.class,
                        JsonNode.class,
                        String.class,
                        String.class)
                .check(classes);
    }

    static String[] features() {
        return FEATURES;
    }

    private static String[] featurePackages() {
        String[] packages = new String[FEATURES.length];
        for (int i = 0; i < FEATURES.length; i++) {
            packages[i] = "io.firebreak.bot." + FEATURES[i] + "..";
        }
        return packages;
    }
}
