import type { Logger } from "../core/logger";
import type { RequestSummary } from "../core/request-log";

/**
 * One Analytics Engine data point per request, or nothing when the `METRICS`
 * binding is absent. Field order is the dataset's schema (queried as blob1…,
 * double1…): changing it breaks saved queries.
 *   index1: route template (the sampling key)
 *   blob1 method · blob2 route template · blob3 status class ("2xx") · blob4 status
 *   double1 duration ms · double2 database ms
 */
export function analyticsObserver(
  dataset: AnalyticsEngineDataset | undefined,
  logger: Logger,
): ((summary: RequestSummary) => void) | undefined {
  if (!dataset) return undefined;
  return ({ method, route, status, durationMs, dbTimeMs }) => {
    try {
      dataset.writeDataPoint({
        indexes: [route],
        blobs: [method, route, `${Math.floor(status / 100)}xx`, String(status)],
        doubles: [durationMs, dbTimeMs],
      });
    } catch (error) {
      // Metrics must never turn an answered request into a failure.
      logger.warn("analytics engine write failed", { error });
    }
  };
}
