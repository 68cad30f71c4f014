// Start-up reference for `npm run bench`: a Worker that only loads the database stack this
// service is built on (the Neon driver and Drizzle over it), and nothing of the service.
import { Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";

export default {
  fetch: () => new Response(`${typeof Pool} ${typeof drizzle}`),
};
