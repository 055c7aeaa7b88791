// A TypeScript client generated from the committed contract (openapi-typescript types,
// openapi-fetch calls) plays a project's intake, both exports and an import against a
// real server. No any, no casts, no raw HTTP: only the generated types speak.
import createClient from "openapi-fetch";
import type { components, paths } from "./api.js";

type Schemas = components["schemas"];

const [base, key] = process.argv.slice(2);
if (!base || !key) throw new Error("usage: story <base url> <api key>");
const api = createClient<paths>({ baseUrl: base, headers: { Authorization: `Bearer ${key}` } });

function made<T>(result: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (result.data === undefined) {
    throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

const organisation: Schemas["Organisation"] = made(
  await api.POST("/api/v1/organisations", { body: { name: "Gemeente Utrecht" } }),
  "organisation",
);
const team = made(
  await api.POST("/api/v1/organisations/{organisation_id}/teams", {
    params: { path: { organisation_id: organisation.id } },
    body: { name: "Ondersteunende afdeling" },
  }),
  "team",
);
const project = made(
  await api.POST("/api/v1/projects", {
    params: { header: { "Idempotency-Key": "ts-story-project" } },
    body: { name: "Samen sterker", organisation_id: organisation.id, team_id: team.id },
  }),
  "project",
);
check(project.phase === "intake", `phase ${project.phase}`);
const inProject = { params: { path: { project_id: project.id } } };

const members: Schemas["Participant"][] = [];
for (const [n, name] of ["Anna", "Bram", "Chris"].entries()) {
  const person = made(
    await api.POST("/api/v1/organisations/{organisation_id}/people", {
      params: { path: { organisation_id: organisation.id } },
      body: { name, external_id: `T-${n}`, email: `${name.toLowerCase()}@utrecht.example`, team_id: team.id },
    }),
    "person",
  );
  members.push(
    made(
      await api.POST("/api/v1/projects/{project_id}/participants", {
        ...inProject,
        body: { person_id: person.id, roles: ["member"] },
      }),
      "participant",
    ),
  );
}

// Too early: the gate refuses with a typed problem that lists what is missing.
const refused = await api.POST("/api/v1/projects/{project_id}/transitions", {
  ...inProject,
  body: { to: "service_definition" },
});
check(refused.response.status === 409 && refused.error !== undefined, "the gate refused");
const problem = refused.error;
check(problem?.status === 409 && problem.title.length > 0, "problem typed");
const codes = (problem?.unmet ?? []).map((u: Schemas["Unmet"]) => u.code);
check(codes.includes("no_findings"), `unmet ${codes.join(",")}`);

made(
  await api.POST("/api/v1/projects/{project_id}/intake/findings", {
    ...inProject,
    body: { text: "Nobody shares knowledge." },
  }),
  "finding",
);
for (const member of members) {
  made(
    await api.PUT("/api/v1/projects/{project_id}/intake/readiness/{participant_id}", {
      params: { path: { project_id: project.id, participant_id: member.id } },
      body: { desire: 4, energy: 4, feasibility: 3 },
    }),
    "rating",
  );
}
made(
  await api.PUT("/api/v1/projects/{project_id}/intake/conclusion", {
    ...inProject,
    body: { ready: true, text: "We are ready." },
  }),
  "conclusion",
);

// A change under If-Match, its value from the typed answer.
const current = made(await api.GET("/api/v1/projects/{project_id}", inProject), "project read");
const renamed = made(
  await api.PATCH("/api/v1/projects/{project_id}", {
    params: { path: { project_id: project.id }, header: { "If-Match": `"v${current.version}"` } },
    body: { name: "Samen sterker!" },
  }),
  "rename",
);
check(renamed.version === current.version + 1, "version moved on");

const moved = made(
  await api.POST("/api/v1/projects/{project_id}/transitions", {
    ...inProject,
    body: { to: "service_definition", reason: "Intake complete." },
  }),
  "transition",
);
check(moved.to_phase === "service_definition", `moved to ${moved.to_phase}`);

// Both exports: the workbook in bytes, the document typed; the document imports back.
const workbook = made(
  await api.GET("/api/v1/projects/{project_id}/export.xlsx", { ...inProject, parseAs: "arrayBuffer" }),
  "workbook",
);
const bytes = new Uint8Array(workbook);
check(bytes[0] === 0x50 && bytes[1] === 0x4b, "the workbook is a zip");
const document = made(await api.GET("/api/v1/projects/{project_id}/export", inProject), "export");
const report = made(
  await api.POST("/api/v1/imports", { params: { query: { dry_run: true } }, body: document }),
  "import",
);
check(report.dry_run === true, "a dry run");
console.log("story played");
