package io.firebreak.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.firebreak.bot.platform.config.ConfigException;
import io.firebreak.bot.platform.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The deployment manifests in {@code manifests/kubernetes/}, read as Kubernetes reads them (every YAML document of
 * every file), checked against each other, against the image Jib builds, and against what Firebreak reads.
 */
class KubernetesManifestsTest {
    static final Path DIRECTORY = Path.of("../manifests/kubernetes");
    static final Path CATALOG = Path.of("../manifests/containment-actions.yml");
    static final Path BOT_POM = Path.of("pom.xml");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static Map<String, JsonNode> byKind;
    static Map<String, List<String>> kindsByFile;

    @BeforeAll
    static void readEveryManifest() throws IOException {
        byKind = new LinkedHashMap<>();
        kindsByFile = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                for (JsonNode doc : documents(file)) {
                    assertThat(doc.path("apiVersion").asText())
                            .as("apiVersion of a document in %s", file)
                            .isNotBlank();
                    assertThat(doc.path("kind").asText())
                            .as("kind of a document in %s", file)
                            .isNotBlank();
                    kindsByFile
                            .computeIfAbsent(file.getFileName().toString(), f -> new ArrayList<>())
                            .add(doc.path("kind").asText());
                    if (!doc.path("kind").asText().equals("Kustomization")) {
                        assertThat(doc.path("metadata").path("name").asText())
                                .as("name of a document in %s", file)
                                .isNotBlank();
                    }
                    assertThat(byKind.put(doc.path("kind").asText(), doc))
                            .as("one %s", doc.path("kind").asText())
                            .isNull();
                }
            }
        }
    }

    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    docs.add(doc);
                }
            });
        }
        return docs;
    }

    static JsonNode kind(String kind) {
        assertThat(byKind).as("the manifests").containsKey(kind);
        return byKind.get(kind);
    }

    static JsonNode container() {
        JsonNode containers =
                kind("Deployment").path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        container()
                .path("env")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    @Test
    void everyPartOfTheDeploymentIsThere() {
        assertThat(byKind.keySet())
                .contains(
                        "Deployment",
                        "Service",
                        "PodDisruptionBudget",
                        "HorizontalPodAutoscaler",
                        "Secret",
                        "ConfigMap",
                        "Kustomization");
        assertThat(kind("PodDisruptionBudget").path("apiVersion").asText()).isEqualTo("policy/v1");
        assertThat(kind("HorizontalPodAutoscaler").path("apiVersion").asText()).isEqualTo("autoscaling/v2");
    }

    @Test
    void twoReplicasCheckedOnHealthzWithResourcesAndNoRoot() {
        JsonNode deployment = kind("Deployment");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = container();

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode labels =
                deployment.path("spec").path("template").path("metadata").path("labels");
        assertThat(deployment.path("spec").path("selector").path("matchLabels").size())
                .isPositive();
        deployment
                .path("spec")
                .path("selector")
                .path("matchLabels")
                .fields()
                .forEachRemaining(e -> assertThat(labels.path(e.getKey())).isEqualTo(e.getValue()));
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(3000);
        assertThat(env()).containsEntry("PORT", "3000");
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("path").asText()).as(probe).startsWith("/healthz");
            assertThat(get.path("port").asText()).as(probe).isEqualTo("http");
        }
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/healthz");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/healthz?probe=liveness");
        for (String bound : List.of("requests", "limits")) {
            assertThat(container.path("resources").path(bound).path("cpu").asText())
                    .as("cpu " + bound)
                    .isNotBlank();
            assertThat(container.path("resources").path(bound).path("memory").asText())
                    .as("memory " + bound)
                    .isNotBlank();
        }
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asInt())
                .isPositive()
                .isEqualTo(imageUser());
        assertThat(container.path("securityContext").path("runAsNonRoot").asBoolean())
                .isTrue();
        assertThat(container
                        .path("securityContext")
                        .path("readOnlyRootFilesystem")
                        .asBoolean())
                .isTrue();
        assertThat(container
                        .path("securityContext")
                        .path("allowPrivilegeEscalation")
                        .asBoolean(true))
                .isFalse();
        assertThat(container.path("securityContext").path("capabilities").path("drop"))
                .extracting(JsonNode::asText)
                .containsExactly("ALL");
        // Firebreak stops in up to 35 s (20 s for requests, 15 s for jobs): Kubernetes must wait longer than that.
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(35);
    }

    @Test
    void aReadOnlyRootFileSystemStillHasAWritableTmp() {
        JsonNode pod = kind("Deployment").path("spec").path("template").path("spec");
        String tmpVolume = mountAt("/tmp").path("name").asText();

        assertThat(volume(pod, tmpVolume).has("emptyDir")).isTrue();
        assertThat(env().get("FIREBREAK_DATA_DIR")).startsWith("/tmp/");
    }

    @Test
    void theServiceAndTheBudgetSelectThePodsAndTheAutoscalerScalesTheDeployment() {
        JsonNode labels = kind("Deployment")
                .path("spec")
                .path("template")
                .path("metadata")
                .path("labels");
        JsonNode service = kind("Service");
        JsonNode budget = kind("PodDisruptionBudget");
        JsonNode autoscaler = kind("HorizontalPodAutoscaler");

        service.path("spec")
                .path("selector")
                .fields()
                .forEachRemaining(e -> assertThat(labels.path(e.getKey())).isEqualTo(e.getValue()));
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
                .isEqualTo(container().path("ports").get(0).path("name").asText());
        budget.path("spec")
                .path("selector")
                .path("matchLabels")
                .fields()
                .forEachRemaining(e -> assertThat(labels.path(e.getKey())).isEqualTo(e.getValue()));
        assertThat(budget.path("spec").path("minAvailable").asInt())
                .isBetween(1, kind("Deployment").path("spec").path("replicas").asInt() - 1);
        assertThat(autoscaler.path("spec").path("scaleTargetRef").path("kind").asText())
                .isEqualTo("Deployment");
        assertThat(autoscaler.path("spec").path("scaleTargetRef").path("name").asText())
                .isEqualTo(kind("Deployment").path("metadata").path("name").asText());
        assertThat(autoscaler.path("spec").path("minReplicas").asInt())
                .isEqualTo(kind("Deployment").path("spec").path("replicas").asInt());
        assertThat(autoscaler.path("spec").path("maxReplicas").asInt())
                .isGreaterThan(autoscaler.path("spec").path("minReplicas").asInt());
    }

    @Test
    void theSecretTemplateHoldsEveryCredentialAsAPlaceholderThatStopsTheBot(@TempDir Path dataDir) {
        JsonNode secret = kind("Secret");
        Map<String, String> values = new LinkedHashMap<>();
        secret.path("stringData")
                .fields()
                .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));

        assertThat(values)
                .containsKeys(
                        "SLACK_BOT_TOKEN",
                        "SLACK_SIGNING_SECRET",
                        "DATABASE_URL",
                        "FIREBREAK_API_TOKEN",
                        "FIREBREAK_INTAKE_SECRET",
                        "AGENT_CONTROL_TOKEN");
        // Authorization fails closed: the deployment cannot start until it says who responds and from which workspace.
        assertThat(values).containsKeys("FIREBREAK_RESPONDERS", "FIREBREAK_TEAM_ID");
        assertThat(values.values()).containsOnly(ConfigLoader.PLACEHOLDER);
        assertThat(container()
                        .path("envFrom")
                        .get(0)
                        .path("secretRef")
                        .path("name")
                        .asText())
                .isEqualTo(secret.path("metadata").path("name").asText());

        Map<String, String> unfilled = new HashMap<>(env());
        unfilled.putAll(values);
        ConfigException refused = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(unfilled));
        assertThat(refused.problems())
                .hasSize(values.size())
                .allMatch(p -> p.endsWith(
                        "still holds the placeholder REPLACE_ME from manifests/kubernetes/secret.template.yml"));
    }

    @Test
    void theDeploymentsOwnSettingsAreValidConfiguration() {
        Map<String, String> filled = new HashMap<>(env());
        filled.put("DATABASE_URL", "postgres://firebreak:pw@postgres:5432/firebreak");
        filled.put("SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5");
        filled.put("SLACK_BOT_TOKEN", "xoxb-0000-example");

        assertThat(ConfigLoader.load(filled).port()).isEqualTo(3000);
    }

    @Test
    void theConfigMapHoldsTheContainmentCatalogWhereFirebreakActionsPoints() throws IOException {
        JsonNode configMap = kind("ConfigMap");
        String mountPath = mountAt("/etc/firebreak").path("mountPath").asText();
        String key = Path.of(env().get("FIREBREAK_ACTIONS")).getFileName().toString();
        JsonNode pod = kind("Deployment").path("spec").path("template").path("spec");

        assertThat(env().get("FIREBREAK_ACTIONS")).isEqualTo(mountPath + "/" + key);
        assertThat(volume(pod, mountAt(mountPath).path("name").asText())
                        .path("configMap")
                        .path("name")
                        .asText())
                .isEqualTo(configMap.path("metadata").path("name").asText());
        String catalog = configMap.path("data").path(key).asText();
        JsonNode parsed = YAML.readTree(catalog);
        assertThat(parsed.path("actions").isArray()).isTrue();
        assertThat(parsed.path("targets").isObject()).isTrue();
        if (Files.exists(CATALOG)) {
            assertThat(catalog)
                    .as("the ConfigMap, regenerated by manifests/kubernetes/update-actions-configmap.sh")
                    .isEqualTo(Files.readString(CATALOG));
        } else {
            assertThat(catalog).startsWith("# PLACEHOLDER");
        }
    }

    @Test
    void kustomizeAppliesEverythingButTheSecretTemplate() {
        List<String> resources = new ArrayList<>();
        kind("Kustomization").path("resources").forEach(r -> resources.add(r.asText()));
        List<String> expected = kindsByFile.entrySet().stream()
                .filter(e ->
                        !e.getValue().contains("Kustomization") && !e.getValue().contains("Secret"))
                .map(Map.Entry::getKey)
                .toList();

        assertThat(resources).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theImageIsBuiltByJibOnlyWhenAskedFromTemurinAsTheUserTheDeploymentExpects() throws Exception {
        Element jib = jibPlugin();

        assertThat(jib.getElementsByTagName("executions").getLength())
                .as("Jib bound to a phase would run in mvn verify")
                .isZero();
        assertThat(text(jib, "from", "image")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(text(jib, "container", "mainClass")).isEqualTo(Main.class.getName());
        assertThat(text(jib, "container", "port"))
                .isEqualTo(String.valueOf(
                        container().path("ports").get(0).path("containerPort").asInt()));
        assertThat(imageUser()).isPositive();
        assertThat(text(jib, "container", "user"))
                .isEqualTo(imageUser() + ":"
                        + kind("Deployment")
                                .path("spec")
                                .path("template")
                                .path("spec")
                                .path("securityContext")
                                .path("runAsGroup")
                                .asInt());
    }

    private static JsonNode mountAt(String path) {
        for (JsonNode mount : container().path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                return mount;
            }
        }
        throw new AssertionError("nothing is mounted at " + path);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    /** The numeric user the image runs as, from Jib's {@code <user>uid:gid</user>}. */
    private static int imageUser() {
        try {
            return Integer.parseInt(text(jibPlugin(), "container", "user").split(":")[0]);
        } catch (Exception e) {
            throw new AssertionError("bot/pom.xml has no numeric Jib <user>", e);
        }
    }

    private static Element jibPlugin() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(BOT_POM.toFile());
        var plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (plugin.getElementsByTagName("artifactId")
                    .item(0)
                    .getTextContent()
                    .equals("jib-maven-plugin")) {
                return plugin;
            }
        }
        throw new AssertionError("bot/pom.xml has no jib-maven-plugin");
    }

    private static String text(Element plugin, String section, String tag) {
        Element inside = (Element) plugin.getElementsByTagName(section).item(0);
        return inside.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
