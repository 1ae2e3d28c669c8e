// SPDX-License-Identifier: AGPL-3.0-or-later
// Starts Solr 9 in embedded Jetty (JettySolrRunner from solr-test-framework,
// the only Jetty runner published on Maven Central) and keeps it running until
// the process gets SIGTERM. Usage: SolrLauncher <solrHome> <port>
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public final class SolrLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: SolrLauncher <solrHome> <port>");
      System.exit(2);
    }
    JettyConfig config = JettyConfig.builder()
        .setPort(Integer.parseInt(args[1]))
        .setContext("/solr")
        .stopAtShutdown(true)
        .useOnlyHttp1(true)
        .build();
    System.setProperty("solr.solr.home", args[0]);
    JettySolrRunner runner = new JettySolrRunner(args[0], config);
    try {
      runner.start();
      if (runner.getCoreContainer() == null || runner.getCoreContainer().isShutDown()) {
        throw new IllegalStateException("Solr core container did not start");
      }
    } catch (Exception e) {
      // Exit instead of leaving a Jetty that answers 404 on a dead container.
      e.printStackTrace();
      System.exit(1);
    }
    System.out.println("Solr started on port " + runner.getLocalPort() + " with home " + args[0]);
    Thread.currentThread().join();
  }
}
