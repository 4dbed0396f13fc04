package dev.magpie.tests.container;

import dev.magpie.server.docs.EnvironmentReference;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment examples and the container documentation, checked against what they describe: the
 * Kubernetes manifest and compose.yaml parse and probe the right paths, and the documented tables of
 * environment variables match the settings table and the image's own configuration.
 */
class DeploymentFilesTest {

    @Test
    void kubernetesManifestIsAStatefulSetWithAVolumeProbesAndLimits() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(Files.readString(RepoFiles.path("deploy/kubernetes/magpie.yaml")))) {
            documents.add(map(document));
        }
        Map<String, Object> statefulSet = documents.stream().filter(d -> "StatefulSet".equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no StatefulSet in the manifest"));
        assertEquals("apps/v1", statefulSet.get("apiVersion"));
        assertTrue(documents.stream().anyMatch(d -> "Service".equals(d.get("kind"))), "a Service in front of it");

        Map<String, Object> spec = map(statefulSet.get("spec"));
        Map<String, Object> claim = map(list(spec.get("volumeClaimTemplates")).get(0));
        String volume = (String) map(claim.get("metadata")).get("name");
        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));

        assertTrue(list(container.get("volumeMounts")).stream().map(DeploymentFilesTest::map)
                .anyMatch(m -> volume.equals(m.get("name")) && "/data".equals(m.get("mountPath"))), "the claim is mounted at /data");
        assertProbe(container, "livenessProbe", "/healthz");
        assertProbe(container, "readinessProbe", "/readyz");
        Map<String, Object> resources = map(container.get("resources"));
        assertNotNull(map(resources.get("limits")).get("memory"), "a memory limit");
        assertNotNull(map(resources.get("limits")).get("cpu"), "a CPU limit");
        assertEquals(999, map(pod.get("securityContext")).get("runAsUser"));
        List<Integer> ports = list(container.get("ports")).stream().map(p -> (Integer) map(p).get("containerPort")).toList();
        assertEquals(List.of(6379, 8443), ports);
        List<String> variables = list(container.get("env")).stream().map(e -> (String) map(e).get("name")).toList();
        assertTrue(variables.contains("MAGPIE_REQUIREPASS") && variables.contains("MAGPIE_MANAGEMENT_TOKEN"), variables.toString());
        for (String variable : variables) {
            assertTrue(EnvironmentReference.markdown().contains("| `" + variable + "` |"), variable + " is a setting's variable");
        }
    }

    private static void assertProbe(Map<String, Object> container, String probe, String path) {
        Map<String, Object> httpGet = map(map(container.get(probe)).get("httpGet"));
        assertEquals(path, httpGet.get("path"), probe);
        assertEquals("HTTPS", httpGet.get("scheme"), probe);
        assertEquals("management", httpGet.get("port"), probe);
    }

    @Test
    void composeFileRunsTheServerWithItsPlaneOnLoopbackPortsAndAVolume() throws IOException {
        Map<String, Object> compose = map(yaml().load(Files.readString(RepoFiles.path("deploy/compose.yaml"))));
        Map<String, Object> service = map(map(compose.get("services")).get("magpie"));
        assertEquals(List.of("127.0.0.1:6379:6379", "127.0.0.1:8443:8443"), service.get("ports"));
        assertTrue(list(service.get("volumes")).contains("magpie-data:/data"), service.toString());
        assertTrue(map(compose.get("volumes")).containsKey("magpie-data"));
        Map<String, Object> environment = map(service.get("environment"));
        assertTrue(environment.containsKey("MAGPIE_REQUIREPASS") && environment.containsKey("MAGPIE_MANAGEMENT_TOKEN"));
        for (String variable : environment.keySet()) {
            assertTrue(EnvironmentReference.markdown().contains("| `" + variable + "` |"), variable + " is a setting's variable");
        }
        assertNotNull(service.get("mem_limit"));
    }

    @Test
    void environmentTableIsGeneratedFromTheSettings() throws IOException {
        String documentation = containerDocumentation();
        Matcher block = Pattern.compile("<!-- environment:begin -->\n(.*?)<!-- environment:end -->", Pattern.DOTALL)
                .matcher(documentation);
        assertTrue(block.find(), "the generated table's markers");
        assertEquals(EnvironmentReference.markdown(), block.group(1),
                "regenerate with java -cp server/target/magpie-server.jar dev.magpie.server.docs.EnvironmentReference");
    }

    @Test
    void theImagesPresetVariablesAreTheDocumentedOnes() throws IOException {
        String pom = Files.readString(RepoFiles.path("server/pom.xml"));
        Matcher block = Pattern.compile("<environment>(.*?)</environment>", Pattern.DOTALL).matcher(pom);
        assertTrue(block.find(), "the image's <environment> in server/pom.xml");
        Map<String, String> preset = new LinkedHashMap<>();
        Matcher entry = Pattern.compile("<([A-Z_]+)>([^<]*)</\\1>").matcher(block.group(1));
        while (entry.find()) {
            preset.put(entry.group(1), entry.group(2));
        }
        assertTrue(preset.containsKey("MAGPIE_BIND") && preset.containsKey("MAGPIE_DIR"), preset.toString());
        String documentation = containerDocumentation();
        for (Map.Entry<String, String> variable : preset.entrySet()) {
            assertTrue(documentation.contains("| `" + variable.getKey() + "` | `" + variable.getValue() + "` |"),
                    variable + " is documented with its value");
        }
    }

    /** The README once the container section is merged into it, deploy/README-section.md until then. */
    private static String containerDocumentation() throws IOException {
        String readme = Files.readString(RepoFiles.path("README.md"));
        if (readme.contains("<!-- environment:begin -->")) {
            return readme;
        }
        return Files.readString(RepoFiles.path("deploy/README-section.md"));
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertTrue(value instanceof Map, "expected a mapping, got " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertTrue(value instanceof List, "expected a sequence, got " + value);
        return (List<Object>) value;
    }
}
