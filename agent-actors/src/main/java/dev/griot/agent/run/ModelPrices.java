package dev.griot.agent.run;

import com.typesafe.config.Config;
import dev.griot.agent.harness.Usage;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What tokens cost, per model, to hold runs to a USD budget ({@code griot.pricing}): the price of
 * a million input, output, cache-read and cache-write tokens. A run's model is its {@code model}
 * option, else the default model of its harness.
 *
 * @param models prices by model name
 * @param defaultModels the model a harness uses when a run names none
 */
public record ModelPrices(Map<String, Price> models, Map<String, String> defaultModels) {

  /** USD per million tokens. */
  public record Price(double input, double output, double cacheRead, double cacheWrite) {
    double of(Usage u) {
      return (u.inputTokens() * input + u.outputTokens() * output + u.cacheReadTokens() * cacheRead
          + u.cacheCreationTokens() * cacheWrite) / 1_000_000.0;
    }
  }

  public static final ModelPrices NONE = new ModelPrices(Map.of(), Map.of());

  public ModelPrices {
    models = Map.copyOf(models);
    defaultModels = Map.copyOf(defaultModels);
  }

  public static ModelPrices fromConfig(Config root) {
    Config c = root.getConfig("griot.pricing");
    Map<String, Price> models = new TreeMap<>();
    Config m = c.getConfig("models");
    for (String name : m.root().keySet()) {
      Config p = m.getConfig("\"" + name + "\"");
      models.put(name, new Price(p.getDouble("input"), p.getDouble("output"), p.getDouble("cache-read"),
          p.getDouble("cache-write")));
    }
    Map<String, String> defaults = new TreeMap<>();
    Config d = c.getConfig("default-models");
    for (String harness : d.root().keySet()) defaults.put(harness, d.getString("\"" + harness + "\""));
    return new ModelPrices(models, defaults);
  }

  /** The model a run of {@code spec} is priced as, if it can be told. */
  public Optional<String> modelOf(RunSpec spec) {
    String named = spec.options().get("model");
    return Optional.ofNullable(named != null && !named.isBlank() ? named : defaultModels.get(spec.harness()));
  }

  /** What {@code usage} costs a run of {@code spec}, when its model has a price. */
  public Optional<Double> cost(RunSpec spec, Usage usage) {
    return modelOf(spec).map(models::get).map(p -> p.of(usage));
  }

  /** Why a cost budget cannot be held for {@code spec}, or empty when it can. */
  public Optional<String> unpriced(RunSpec spec) {
    Optional<String> model = modelOf(spec);
    if (model.isEmpty())
      return Optional.of("budget.max_cost_usd needs the run's model: set option model, or griot.pricing.default-models."
          + spec.harness());
    if (!models.containsKey(model.get()))
      return Optional.of("budget.max_cost_usd needs a price for model '" + model.get() + "' (griot.pricing.models)");
    return Optional.empty();
  }
}
