package dev.vnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The module graph on {@code docs/index.md} is the one the POMs declare: every module of the root POM's
 * {@code <modules>} is a node, and every {@code dev.vnet} dependency of a module (in its own {@code <dependencies>},
 * any scope) is an arrow from it to that module, and nothing else. A module or a dependency between modules added or
 * removed without updating the page fails here. Also, the BOM manages every module that is published.
 */
class ModuleGraphDocTest {
    private static final String GROUP = "dev.vnet";
    private static final String HEADING = "## The modules";
    /** A node of the diagram, {@code io["vnet-io"]}: an id and the module's artifactId as its label. */
    private static final Pattern NODE = Pattern.compile("^(\\w+)\\[\"([\\w.-]+)\"\\]$");
    /** An arrow to a dependency, {@code io --> core}. */
    private static final Pattern EDGE = Pattern.compile("^(\\w+)\\s*-->\\s*(\\w+)$");

    /** A module: its folder, its POM's artifactId and its packaging. */
    private record Module(String folder, Element pom) {
        String artifactId() {
            return child(pom, "artifactId");
        }

        boolean published() {
            Element props = childElement(pom, "properties");
            String unpublished = props == null ? null : child(props, "vnet.unpublished");
            return !"true".equals(unpublished);
        }

        String packaging() {
            String p = child(pom, "packaging");
            return p == null ? "jar" : p;
        }
    }

    @Test
    void theModuleGraphOnTheMapIsTheOneThePomsDeclare() throws Exception {
        Map<String, Set<String>> poms = graphOfPoms(modules(RepoDocs.root()));
        Map<String, Set<String>> doc = graphOfDoc(RepoDocs.read(RepoDocs.root().resolve("docs/index.md")));
        assertThat(poms).as("the POMs' modules and dev.vnet dependencies (left) against the graph under \""
                + HEADING + "\" in docs/index.md").isEqualTo(doc);
    }

    @Test
    void anArrowOrAModuleLeftOutOfThePageIsSeen() throws Exception {
        String page = RepoDocs.read(RepoDocs.root().resolve("docs/index.md"));
        Map<String, Set<String>> poms = graphOfPoms(modules(RepoDocs.root()));
        Map<String, Set<String>> full = graphOfDoc(page);
        assertThat(full).isEqualTo(poms);
        String oneArrowLess = page.replaceFirst("\n\\s*io --> core\\s*\n", "\n");
        assertThat(oneArrowLess).isNotEqualTo(page);
        assertThat(graphOfDoc(oneArrowLess)).isNotEqualTo(poms);
        String oneModuleLess = page.replaceFirst("\n\\s*examples\\[\"examples\"\\]\\s*\n", "\n")
                .replaceAll("(?m)^\\s*examples --> \\w+\\s*\n", "");
        assertThat(graphOfDoc(oneModuleLess)).doesNotContainKey("examples").isNotEqualTo(poms);
    }

    @Test
    void theBomManagesEveryPublishedModuleAtTheReactorsVersion() throws Exception {
        Path root = RepoDocs.root();
        List<Module> modules = modules(root);
        Module bom = modules.stream().filter(m -> m.packaging().equals("pom") && m.artifactId().endsWith("-bom"))
                .findFirst().orElseThrow(() -> new AssertionError("no module with packaging pom named *-bom"));
        Set<String> managed = new TreeSet<>();
        for (Element d : children(childElement(childElement(bom.pom(), "dependencyManagement"), "dependencies"),
                "dependency")) {
            assertThat(child(d, "version")).as("version of " + child(d, "artifactId") + " in the BOM")
                    .isEqualTo("${project.version}");
            managed.add(child(d, "artifactId"));
        }
        Set<String> published = new TreeSet<>();
        for (Module m : modules) {
            if (m.published() && m.packaging().equals("jar")) {
                published.add(m.artifactId());
            }
        }
        assertThat(managed).as("the BOM's modules against the published jar modules").isEqualTo(published);
        assertThat(child(bom.pom(), "version")).as("the BOM's version (it has no parent)")
                .isEqualTo(child(pom(root.resolve("pom.xml")), "version"));
    }

    private static List<Module> modules(Path root) throws IOException, SAXException, ParserConfigurationException {
        List<Module> out = new ArrayList<>();
        for (Element m : children(childElement(pom(root.resolve("pom.xml")), "modules"), "module")) {
            String folder = m.getTextContent().strip();
            out.add(new Module(folder, pom(root.resolve(folder).resolve("pom.xml"))));
        }
        assertThat(out).as("modules of the root pom.xml").isNotEmpty();
        return out;
    }

    /** {@return each module's artifactId with the artifactIds of the dev.vnet modules it depends on} */
    private static Map<String, Set<String>> graphOfPoms(List<Module> modules) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Module m : modules) {
            Set<String> deps = new TreeSet<>();
            for (Element d : children(childElement(m.pom(), "dependencies"), "dependency")) {
                String group = child(d, "groupId");
                if (GROUP.equals(group) || "${project.groupId}".equals(group)) {
                    deps.add(child(d, "artifactId"));
                }
            }
            graph.put(m.artifactId(), deps);
        }
        return graph;
    }

    /** {@return the graph of the first mermaid block under {@link #HEADING}: nodes by label, arrows by id} */
    static Map<String, Set<String>> graphOfDoc(String page) {
        RepoDocs.Block block = RepoDocs.blocks(page).stream()
                .filter(b -> b.info().equals("mermaid") && lastHeading(b.before()).equals(HEADING))
                .findFirst().orElseThrow(() -> new AssertionError("no mermaid block under \"" + HEADING + "\""));
        Map<String, String> labels = new TreeMap<>();
        List<String[]> edges = new ArrayList<>();
        for (String line : block.lines()) {
            String t = line.strip();
            Matcher node = NODE.matcher(t);
            Matcher edge = EDGE.matcher(t);
            if (node.matches()) {
                labels.put(node.group(1), node.group(2));
            } else if (edge.matches()) {
                edges.add(new String[] {edge.group(1), edge.group(2)});
            }
        }
        Map<String, Set<String>> graph = new TreeMap<>();
        labels.values().forEach(label -> graph.put(label, new TreeSet<>()));
        for (String[] e : edges) {
            for (String id : e) {
                assertThat(labels).as("arrow " + e[0] + " --> " + e[1] + " names a node without a label")
                        .containsKey(id);
            }
            graph.get(labels.get(e[0])).add(labels.get(e[1]));
        }
        return graph;
    }

    private static String lastHeading(String markdown) {
        String heading = "";
        for (String line : markdown.split("\n")) {
            if (line.startsWith("## ")) {
                heading = line.strip();
            }
        }
        return heading;
    }

    private static Element pom(Path file) throws IOException, SAXException, ParserConfigurationException {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static Element childElement(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static String child(Element parent, String name) {
        Element e = childElement(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }
}
