// A TypeScript client generated from the committed contract (openapi-typescript types,
// openapi-fetch calls) plays a whole project against a real server (seed 004, with the
// joint and closing meetings of seed 000 and the theme of seed 001): an intake refused and
// then passed, services, the competence matrix and its analyses, development agreements
// with check-ins, meetings through to a closed project, both exports, and a real import
// read back. No any, no casts, no raw HTTP: only the generated types speak, and every
// value the story sends on (ids, versions for If-Match) comes from a typed answer.
import createClient from "openapi-fetch";
import { isDeepStrictEqual } from "node:util";
import type { components, paths } from "./api.js";

type Schemas = components["schemas"];
type Problem = Schemas["Problem"];

const [base, key] = process.argv.slice(2);
if (!base || !key) throw new Error("usage: story <base url> <api key>");
const api = createClient<paths>({ baseUrl: base, headers: { Authorization: `Bearer ${key}` } });
let calls = 0;
api.use({
  onRequest() {
    calls += 1;
    return undefined;
  },
});

/** The answer's typed body, after checking it came with the status the contract names. */
function made<T>(result: { data?: T; error?: unknown; response: Response }, status: number, what: string): T {
  if (result.response.status !== status || result.data === undefined) {
    throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

/** The typed problem of a refusal with this status (every error answer is a Problem). */
function refused(result: { data?: unknown; error?: Problem; response: Response }, status: number, what: string): Problem {
  const problem = result.error;
  if (result.response.status !== status || problem === undefined) {
    throw new Error(`${what}: expected ${status}, got ${result.response.status}`);
  }
  check(result.response.headers.get("Content-Type") === "application/problem+json", `${what}: problem+json`);
  check(problem.status === status && problem.title.length > 0 && problem.type.length > 0, `${what}: problem typed`);
  return problem;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

function same(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(`${what}: ${JSON.stringify(actual)} is not ${JSON.stringify(expected)}`);
  }
}

/** The one item that passes ``test``. */
function one<T>(items: readonly T[], test: (item: T) => boolean, what: string): T {
  const found = items.filter(test);
  const [item] = found;
  if (item === undefined || found.length !== 1) throw new Error(`${what}: ${found.length} found`);
  return item;
}

function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}

/** If-Match built from the version the typed answer carries. */
function ifMatch(resource: { readonly version: number }): { "If-Match": string } {
  return { "If-Match": `"v${resource.version}"` };
}

const codes = (unmet: readonly Schemas["Unmet"][]): string[] => unmet.map((u) => u.code).sort();

// --- the client organisation, its team, its people and the catalogue -------------------

const organisation: Schemas["Organisation"] = made(
  await api.POST("/api/v1/organisations", { body: { name: "Gemeente Utrecht" } }),
  201,
  "organisation",
);
const team = made(
  await api.POST("/api/v1/organisations/{organisation_id}/teams", {
    params: { path: { organisation_id: organisation.id } },
    body: { name: "Ondersteunende afdeling" },
  }),
  201,
  "team",
);
const fb = made(
  await api.POST("/api/v1/competences", { body: { code: "FB", name: "Giving feedback" } }),
  201,
  "competence FB",
);
const plan = made(
  await api.POST("/api/v1/competences", { body: { code: "PLAN", name: "Planning" } }),
  201,
  "competence PLAN",
);
const project = made(
  await api.POST("/api/v1/projects", {
    params: { header: { "Idempotency-Key": "ts-story-project" } },
    body: { name: "Samen sterker", organisation_id: organisation.id, team_id: team.id },
  }),
  201,
  "project",
);
check(project.phase === "intake", `phase ${project.phase}`);
const inProject = { params: { path: { project_id: project.id } } };

type Role = Schemas["ParticipantCreate"]["roles"][number];
async function takePart(n: number, name: string, roles: Role[]): Promise<Schemas["Participant"]> {
  const person = made(
    await api.POST("/api/v1/organisations/{organisation_id}/people", {
      params: { path: { organisation_id: organisation.id } },
      body: { name, external_id: `T-${n}`, email: `${name.toLowerCase()}@utrecht.example`, team_id: team.id },
    }),
    201,
    `person ${name}`,
  );
  const participant = made(
    await api.POST("/api/v1/projects/{project_id}/participants", {
      ...inProject,
      body: { person_id: person.id, roles },
    }),
    201,
    `participant ${name}`,
  );
  check(participant.person_id === person.id && participant.name === name && !participant.left, "participant");
  return participant;
}
// Anna and Bram are members; Carla is a member and a senior; Dirk a senior; Els sits in the MT.
const anna = await takePart(1, "Anna", ["member"]);
const bram = await takePart(2, "Bram", ["member"]);
const carla = await takePart(3, "Carla", ["member", "senior"]);
const dirk = await takePart(4, "Dirk", ["senior"]);
const els = await takePart(5, "Els", ["mt_member"]);
const members = [anna, bram, carla];
const names = new Map([anna, bram, carla, dirk, els].map((p) => [p.id, p.name]));

// --- phase 1, the intake: too early, the gate refuses with every unmet condition typed --

const early = refused(
  await api.POST("/api/v1/projects/{project_id}/transitions", { ...inProject, body: { to: "service_definition" } }),
  409,
  "the intake gate",
);
const unmet = present(early.unmet, "unmet");
same(codes(unmet), ["no_conclusion", "no_findings", "readiness_not_rated"], "unmet at the intake");
for (const u of unmet) check(u.message.length > 0, `${u.code} has a message`);
const before = made(await api.GET("/api/v1/projects/{project_id}/checklist", inProject), 200, "checklist");
check(before.phase === "intake" && before.next_phase === "service_definition" && !before.ready, "not ready");
same(codes(before.unmet), codes(unmet), "the checklist says the same");

made(
  await api.POST("/api/v1/projects/{project_id}/intake/findings", {
    ...inProject,
    body: { text: "Nobody shares knowledge." },
  }),
  201,
  "finding",
);
const grievance = made(
  await api.POST("/api/v1/projects/{project_id}/intake/grievances", {
    ...inProject,
    body: { text: "The MT only hears about us when things go wrong.", anonymous: true },
  }),
  201,
  "grievance",
);
check(grievance.anonymous && grievance.participant_id === null, "an anonymous grievance names nobody");
const ratings: [Schemas["Participant"], number, number][] = [
  [anna, 4, 4],
  [bram, 5, 3],
  [carla, 3, 4],
];
for (const [member, desire, energy] of ratings) {
  const rating = made(
    await api.PUT("/api/v1/projects/{project_id}/intake/readiness/{participant_id}", {
      params: { path: { project_id: project.id, participant_id: member.id } },
      body: { desire, energy, feasibility: 3 },
    }),
    201,
    "rating",
  );
  check(rating.participant_id === member.id && rating.round === 1, "a baseline rating");
}
const conclusion = made(
  await api.PUT("/api/v1/projects/{project_id}/intake/conclusion", {
    ...inProject,
    body: { ready: true, text: "We are ready." },
  }),
  200,
  "conclusion",
);
check(conclusion.ready, "the team is ready");
const intake = made(await api.GET("/api/v1/projects/{project_id}/intake", inProject), 200, "intake");
same(intake.unmet, [], "nothing left at the intake");
check(intake.readiness.members_rated === 3 && intake.readiness.enough_members_rated, "all members rated");
check(intake.readiness.desire.mean === 4 && intake.readiness.energy.median === 4, "readiness summarised");
check(intake.grievances.length === 1 && intake.findings.length === 1, "the intake holds what was said");

// A change under If-Match, its value from the typed answer; the old one is refused after.
const current = made(await api.GET("/api/v1/projects/{project_id}", inProject), 200, "project read");
const renamed = made(
  await api.PATCH("/api/v1/projects/{project_id}", {
    params: { path: { project_id: project.id }, header: ifMatch(current) },
    body: { name: "Samen sterker!" },
  }),
  200,
  "rename",
);
check(renamed.version === current.version + 1 && renamed.name === "Samen sterker!", "version moved on");
refused(
  await api.PATCH("/api/v1/projects/{project_id}", {
    params: { path: { project_id: project.id }, header: ifMatch(current) },
    body: { name: "Overwritten" },
  }),
  412,
  "a stale If-Match",
);

async function move(to: Schemas["TransitionCreate"]["to"]): Promise<Schemas["Transition"]> {
  const moved = made(
    await api.POST("/api/v1/projects/{project_id}/transitions", { ...inProject, body: { to } }),
    201,
    `transition to ${to}`,
  );
  check(moved.to_phase === to, `moved to ${moved.to_phase}`);
  return moved;
}
async function gate(to: Schemas["TransitionCreate"]["to"]): Promise<Schemas["Unmet"][]> {
  const problem = refused(
    await api.POST("/api/v1/projects/{project_id}/transitions", { ...inProject, body: { to } }),
    409,
    `the gate to ${to}`,
  );
  return present(problem.unmet, `unmet to ${to}`);
}

const first = await move("service_definition");
check(first.from_phase === "intake", "from the intake");

// --- phase 2, services: each needs two contributors, deliverables and indicators ---------

same(codes(await gate("competence_mapping")), ["no_services"], "no services yet");
const onboarding = made(
  await api.POST("/api/v1/projects/{project_id}/services", {
    ...inProject,
    body: {
      name: "Onboarding",
      client_group: "Line managers",
      required_competences: [{ competence_id: fb.id }, { competence_id: plan.id, level: 2 }],
    },
  }),
  201,
  "service Onboarding",
);
same(
  onboarding.required_competences,
  [
    { competence_id: fb.id, level: 3 },
    { competence_id: plan.id, level: 2 },
  ],
  "a required level defaults to 3",
);
const advice = made(
  await api.POST("/api/v1/projects/{project_id}/services", {
    ...inProject,
    body: { name: "HR advice", deliverables: ["Advice"], required_competences: [{ competence_id: fb.id }] },
  }),
  201,
  "service HR advice",
);
const serviceNames = new Map([onboarding, advice].map((s) => [s.id, s.name]));
const perService = (items: readonly Schemas["Unmet"][]): string[] =>
  items.map((u) => `${u.code}:${serviceNames.get(u.subject?.service_id ?? "") ?? "-"}`).sort();

const incomplete = made(await api.GET("/api/v1/projects/{project_id}/checklist", inProject), 200, "checklist");
same(
  perService(incomplete.unmet),
  [
    "no_deliverables:Onboarding",
    "no_indicators:HR advice",
    "no_indicators:Onboarding",
    "too_few_contributors:HR advice",
    "too_few_contributors:Onboarding",
  ],
  "what each service lacks",
);
const completed = made(
  await api.PATCH("/api/v1/projects/{project_id}/services/{service_id}", {
    params: { path: { project_id: project.id, service_id: onboarding.id }, header: ifMatch(onboarding) },
    body: { deliverables: ["Workplace ready"], indicators: ["Days to ready"] },
  }),
  200,
  "Onboarding completed",
);
same([completed.deliverables, completed.indicators], [["Workplace ready"], ["Days to ready"]], "Onboarding's lists");
made(
  await api.PATCH("/api/v1/projects/{project_id}/services/{service_id}", {
    params: { path: { project_id: project.id, service_id: advice.id }, header: ifMatch(advice) },
    body: { indicators: ["Turnaround time"] },
  }),
  200,
  "HR advice completed",
);
const groups: [Schemas["Service"], Schemas["Participant"][]][] = [
  [onboarding, [anna, carla]],
  [advice, [bram, carla]],
];
for (const [service, group] of groups) {
  for (const p of group) {
    const contributor = made(
      await api.POST("/api/v1/projects/{project_id}/services/{service_id}/contributors", {
        params: { path: { project_id: project.id, service_id: service.id } },
        body: { participant_id: p.id, contribution: `${p.name} does part of ${service.name}.` },
      }),
      201,
      "contributor",
    );
    check(contributor.service_id === service.id && contributor.name === p.name, "a contributor");
  }
}

// Carla contributes to both services: the server derives her coordination task.
const coordinators = made(await api.GET("/api/v1/projects/{project_id}/coordinators", inProject), 200, "coordinators");
const coordinator = one(coordinators, () => true, "one coordinator");
check(coordinator.participant_id === carla.id && coordinator.name === "Carla", "Carla coordinates");
same(coordinator.services.map((s) => s.name).sort(), ["HR advice", "Onboarding"], "the services she coordinates");

// The MT's feedback keeps the gate closed until the service group processed it.
const feedback = made(
  await api.POST("/api/v1/projects/{project_id}/services/{service_id}/feedback", {
    params: { path: { project_id: project.id, service_id: onboarding.id } },
    body: { text: "Add the security training.", participant_id: els.id },
  }),
  201,
  "MT feedback",
);
check(feedback.status === "open" && feedback.response === null, "feedback is open");
same(perService(await gate("competence_mapping")), ["feedback_open:Onboarding"], "open feedback");
const open = made(
  await api.GET("/api/v1/projects/{project_id}/feedback", {
    params: { path: { project_id: project.id }, query: { status: "open" } },
  }),
  200,
  "open feedback",
);
same(open.map((f) => f.id), [feedback.id], "the open feedback listed");
const feedbackPath = { path: { project_id: project.id, service_id: onboarding.id, feedback_id: feedback.id } };
const unanswered = refused(
  await api.PATCH("/api/v1/projects/{project_id}/services/{service_id}/feedback/{feedback_id}", {
    params: feedbackPath,
    body: { status: "processed" },
  }),
  422,
  "processed without a response",
);
check((unanswered.errors?.["response"] ?? []).length === 1, "the response is asked for");
const processed = made(
  await api.PATCH("/api/v1/projects/{project_id}/services/{service_id}/feedback/{feedback_id}", {
    params: { ...feedbackPath, header: ifMatch(feedback) },
    body: { status: "processed", response: "Added to the introduction days." },
  }),
  200,
  "feedback processed",
);
check(processed.status === "processed", "processed");
const services = made(await api.GET("/api/v1/projects/{project_id}/services", inProject), 200, "services");
const counted = one(services, (s) => s.id === onboarding.id, "Onboarding").feedback_counts;
check(counted.open === 0 && counted.processed === 1, "feedback counted per status");
await move("competence_mapping");

// --- phase 3, the matrix: levels, dependencies, wishes and priorities --------------------
// By hand: FB is needed by both services at 3 and only Carla holds it (rank 1, a single
// point of failure); PLAN is needed by Onboarding at 2 and held by Anna, Bram and Dirk.

const missing = await gate("development");
same(codes(missing), ["levels_missing", "levels_missing", "levels_missing", "no_wishes"], "levels and wishes");
same(
  missing.flatMap((u) => (u.code === "levels_missing" ? [names.get(u.subject?.participant_id ?? "")] : [])).sort(),
  ["Anna", "Bram", "Carla"],
  "whose levels are missing",
);
const grid: [Schemas["Participant"], number, number][] = [
  [anna, 2, 3],
  [bram, 1, 2],
  [carla, 4, 1],
  [dirk, 2, 4],
];
const cells: Schemas["LevelCell"][] = grid.flatMap(([p, fbLevel, planLevel]) => [
  { participant_id: p.id, competence_id: fb.id, level: fbLevel, source: "self" },
  { participant_id: p.id, competence_id: plan.id, level: planLevel, source: "self" },
]);
same(
  made(await api.PUT("/api/v1/projects/{project_id}/matrix/levels", { ...inProject, body: { levels: cells } }), 200, "levels"),
  { created: 8, updated: 0, unchanged: 0 },
  "levels stored",
);
same(
  made(await api.PUT("/api/v1/projects/{project_id}/matrix/levels", { ...inProject, body: { levels: cells } }), 200, "levels again"),
  { created: 0, updated: 0, unchanged: 8 },
  "the same levels change nothing",
);
const matrix = made(await api.GET("/api/v1/projects/{project_id}/matrix", inProject), 200, "matrix");
const carlaRow = one(matrix.participants, (p) => p.id === carla.id, "Carla's row");
same(carlaRow.levels[fb.id], { level: 4, source: "self" }, "Carla's FB");
same(Object.keys(carlaRow.contributions).sort(), [onboarding.id, advice.id].sort(), "Carla's contributions");
same(matrix.competences.map((c) => c.code), ["FB", "PLAN"], "the matrix's competences");

const ranking = made(await api.GET("/api/v1/projects/{project_id}/dependencies", inProject), 200, "dependencies");
same(
  ranking.map((d) => [d.rank, d.competence.code, d.demand, d.holders.length, d.single_point_of_failure]),
  [
    [1, "FB", 2, 1, true],
    [2, "PLAN", 1, 3, false],
  ],
  "dependencies ranked",
);
const fbDependency = one(ranking, (d) => d.competence.id === fb.id, "FB's dependency");
same(fbDependency.holders, [carla.id], "Carla alone holds FB");
same(fbDependency.services_at_risk.map((s) => s.name).sort(), ["HR advice", "Onboarding"], "services at risk");

const annaWish = made(
  await api.POST("/api/v1/projects/{project_id}/wishes", {
    ...inProject,
    body: { participant_id: anna.id, competence_id: fb.id, motivation: "I want to coach new colleagues." },
  }),
  201,
  "Anna's wish",
);
made(
  await api.POST("/api/v1/projects/{project_id}/wishes", {
    ...inProject,
    body: { participant_id: bram.id, competence_id: plan.id },
  }),
  201,
  "Bram's wish",
);
const priorities = made(await api.GET("/api/v1/projects/{project_id}/priorities", inProject), 200, "priorities");
same(
  priorities.map((p) => [p.participant_id, p.rank, p.candidate_coaches]),
  [
    [anna.id, 1, [carla.id]],
    [bram.id, 2, [dirk.id]],
  ],
  "development priorities",
);
const top = one(priorities, (p) => p.wish_id === annaWish.id, "Anna's priority");
check(top.single_point_of_failure && top.reason.includes("single point of failure"), `reason: ${top.reason}`);
await move("development");

// --- phase 4, development: agreements made together, coached by seniors, peers check in --

const joint = made(
  await api.POST("/api/v1/projects/{project_id}/meetings", {
    ...inProject,
    body: {
      kind: "joint",
      date: "2026-12-01",
      topic: "Development agreements and cooperation",
      place: "Room 2.14",
      attendees: [
        { participant_id: anna.id, layer: "team" },
        { participant_id: bram.id, layer: "team" },
        { participant_id: carla.id, layer: "team" },
        { participant_id: dirk.id, layer: "seniors" },
      ],
      ground_rules: ["What is said here stays here", "Room to be vulnerable"],
    },
  }),
  201,
  "joint meeting",
);
same(joint.attendees.map((a) => a.participant_id), [anna.id, bram.id, carla.id, dirk.id], "attendees");
const uncovered = await gate("evaluation");
same(
  uncovered.map((u) => [u.code, u.subject?.wish_id]),
  [["spof_wish_uncovered", annaWish.id]],
  "Anna's wish is not covered",
);

const proposal = {
  participant_id: anna.id,
  competence_id: fb.id,
  target_level: 3,
  due_date: "2027-06-30",
  meeting_id: joint.id,
};
const tooWeak = refused(
  await api.POST("/api/v1/projects/{project_id}/agreements", { ...inProject, body: { ...proposal, coach_id: dirk.id } }),
  422,
  "a coach below level 3",
);
same(present(tooWeak.violations, "violations").map((v) => v.code), ["coach_level_too_low"], "the coach's level");
const ownCoach = refused(
  await api.POST("/api/v1/projects/{project_id}/agreements", { ...inProject, body: { ...proposal, coach_id: anna.id } }),
  422,
  "coaching oneself",
);
check((ownCoach.errors?.["coach_id"] ?? []).length > 0, "coach_id is refused");
const agreement = made(
  await api.POST("/api/v1/projects/{project_id}/agreements", { ...inProject, body: { ...proposal, coach_id: carla.id } }),
  201,
  "Anna's agreement",
);
check(agreement.start_level === 2 && agreement.status === "proposed", "from the matrix's level, proposed");
check(agreement.coaching === "senior" && agreement.coach_id === carla.id && agreement.meeting_id === joint.id, "coached");
check(agreement.last_check_in === null && agreement.days_since_check_in === null, "no check-in yet");
const bramAgreement = made(
  await api.POST("/api/v1/projects/{project_id}/agreements", {
    ...inProject,
    body: { participant_id: bram.id, competence_id: plan.id, target_level: 3, coach_id: dirk.id, due_date: "2027-06-30" },
  }),
  201,
  "Bram's agreement",
);
check(bramAgreement.start_level === 2 && bramAgreement.coach_id === dirk.id, "Dirk coaches Bram");

const agreementPath = { path: { project_id: project.id, agreement_id: agreement.id } };
const notAPeer = refused(
  await api.POST("/api/v1/projects/{project_id}/agreements/{agreement_id}/check-ins", {
    params: agreementPath,
    body: { participant_id: anna.id, status: "on_track" },
  }),
  422,
  "checking in on oneself",
);
same(present(notAPeer.violations, "violations").map((v) => v.code), ["not_a_peer"], "a peer checks in");
const checkIn = made(
  await api.POST("/api/v1/projects/{project_id}/agreements/{agreement_id}/check-ins", {
    params: agreementPath,
    body: { participant_id: bram.id, status: "at_risk", note: "Busy month." },
  }),
  201,
  "Bram checks in",
);
check(checkIn.agreement_id === agreement.id && checkIn.status === "at_risk", "the check-in");
const checkIns = made(
  await api.GET("/api/v1/projects/{project_id}/agreements/{agreement_id}/check-ins", { params: agreementPath }),
  200,
  "check-ins",
);
same(checkIns.map((c) => c.id), [checkIn.id], "the check-ins listed");
let shown = made(await api.GET("/api/v1/projects/{project_id}/agreements/{agreement_id}", { params: agreementPath }), 200, "agreement");
check(shown.last_check_in?.status === "at_risk" && shown.days_since_check_in === 0, "the last check-in shows");

const skipped = refused(
  await api.PATCH("/api/v1/projects/{project_id}/agreements/{agreement_id}", {
    params: { ...agreementPath, header: ifMatch(shown) },
    body: { status: "achieved" },
  }),
  422,
  "achieved before agreed",
);
check((skipped.errors?.["status"] ?? []).length > 0, "the status order is kept");
const statuses: NonNullable<Schemas["AgreementUpdate"]["status"]>[] = ["agreed", "in_progress", "achieved"];
for (const status of statuses) {
  const next = made(
    await api.PATCH("/api/v1/projects/{project_id}/agreements/{agreement_id}", {
      params: { ...agreementPath, header: ifMatch(shown) },
      body: { status },
    }),
    200,
    `agreement ${status}`,
  );
  check(next.status === status && next.version > shown.version, `agreement ${status}`);
  shown = next;
}
const grown = made(await api.GET("/api/v1/projects/{project_id}/matrix", inProject), 200, "matrix after");
same(one(grown.participants, (p) => p.id === anna.id, "Anna's row").levels[fb.id], { level: 3, source: "agreement" }, "Anna grew");
const history = made(
  await api.GET("/api/v1/projects/{project_id}/matrix/history", {
    params: { path: { project_id: project.id }, query: { participant_id: anna.id, competence_id: fb.id } },
  }),
  200,
  "level history",
);
same(
  history.map((h) => [h.previous_level, h.level, h.source]),
  [
    [null, 2, "self"],
    [2, 3, "agreement"],
  ],
  "Anna's FB history",
);

// The joint meeting's commitments, each followed up: an action.
const sharing = made(
  await api.POST("/api/v1/projects/{project_id}/meetings/{meeting_id}/commitments", {
    params: { path: { project_id: project.id, meeting_id: joint.id } },
    body: { text: "Share the planning weekly." },
  }),
  201,
  "commitment for all",
);
const visits = made(
  await api.POST("/api/v1/projects/{project_id}/meetings/{meeting_id}/commitments", {
    params: { path: { project_id: project.id, meeting_id: joint.id } },
    body: { text: "Visit a team of the MT's each quarter.", owner_ids: [anna.id], due_date: "2027-02-01" },
  }),
  201,
  "Anna's commitment",
);
check(sharing.meeting_id === joint.id && sharing.status === "open" && sharing.owner_ids.length === 0, "owned by all");
same(visits.owner_ids, [anna.id], "owned by Anna");
const commitments = made(
  await api.GET("/api/v1/projects/{project_id}/meetings/{meeting_id}/commitments", {
    params: { path: { project_id: project.id, meeting_id: joint.id } },
  }),
  200,
  "commitments",
);
same(commitments.map((c) => c.id).sort(), [sharing.id, visits.id].sort(), "the meeting's commitments");

// Seed 001: a learning theme of four steps, taken up by the project.
const theme = made(
  await api.POST("/api/v1/themes", {
    body: {
      name: "Cultuur van vertrouwen",
      steps: [
        { title: "Leidinggeven vanuit vertrouwen" },
        { title: "Wat is vertrouwen?" },
        { title: "Een cultuur van vertrouwen creëren" },
        { title: "Vertrouwen in de organisatie" },
      ],
    },
  }),
  201,
  "theme",
);
made(await api.POST("/api/v1/projects/{project_id}/themes", { ...inProject, body: { theme_id: theme.id } }), 201, "theme taken up");
const progressPath = { path: { project_id: project.id, theme_id: theme.id, participant_id: anna.id } };
const nothingYet = made(
  await api.GET("/api/v1/projects/{project_id}/themes/{theme_id}/progress/{participant_id}", { params: progressPath }),
  200,
  "progress",
);
check(nothingYet.text === "0 of 4 steps done, 0%" && nothingYet.steps_total === 4, nothingYet.text);
const [step1, step2] = theme.steps.map((s) => s.id);
const done = made(
  await api.PUT("/api/v1/projects/{project_id}/themes/{theme_id}/progress/{participant_id}", {
    params: progressPath,
    body: { steps_done: [present(step2, "step 2"), present(step1, "step 1")] },
  }),
  200,
  "steps done",
);
check(done.percent === 50 && done.text === "2 of 4 steps done, 50%", done.text);
await move("evaluation");

// --- phase 5, evaluation: what did you do to realise the agreements? ---------------------

same(codes(await gate("closed")), ["no_evaluation_meeting"], "no evaluation yet");
const annasActions = made(
  await api.GET("/api/v1/projects/{project_id}/actions", {
    params: { path: { project_id: project.id }, query: { owner_id: anna.id } },
  }),
  200,
  "Anna's actions",
);
same(annasActions.map((a) => a.id).sort(), [sharing.id, visits.id].sort(), "Anna owns both");
const shared = made(
  await api.PATCH("/api/v1/projects/{project_id}/actions/{action_id}", {
    params: { path: { project_id: project.id, action_id: sharing.id }, header: ifMatch(sharing) },
    body: { status: "done", status_by_id: anna.id },
  }),
  200,
  "sharing done",
);
check(shared.status === "done" && shared.status_by_id === anna.id && shared.status_at !== null, "done, by Anna");

const closing = made(
  await api.POST("/api/v1/projects/{project_id}/meetings", {
    ...inProject,
    body: {
      kind: "evaluation",
      date: "2027-03-01",
      attendees: [{ participant_id: anna.id }, { participant_id: bram.id }, { participant_id: carla.id }],
    },
  }),
  201,
  "evaluation meeting",
);
const closingPath = { path: { project_id: project.id, meeting_id: closing.id } };
const silent = one(await gate("closed"), () => true, "one unmet condition");
check(silent.code === "action_reports_missing", silent.code);
check(silent.subject?.meeting_id === closing.id, "about the evaluation meeting");
same(silent.subject?.participant_ids?.slice().sort(), [anna.id, bram.id, carla.id].sort(), "everyone still to answer");
check(["Anna", "Bram", "Carla"].every((name) => silent.message.includes(name)), silent.message);

async function report(body: Schemas["ActionReportCreate"]): Promise<Schemas["ActionReport"]> {
  const answered = made(
    await api.POST("/api/v1/projects/{project_id}/meetings/{meeting_id}/action-reports", { params: closingPath, body }),
    201,
    "action report",
  );
  check(answered.meeting_id === closing.id && answered.participant_id === body.participant_id, "the report");
  return answered;
}
await report({ participant_id: anna.id, commitment_id: sharing.id, text: "I shared it every Monday." });
await report({ participant_id: anna.id, commitment_id: visits.id, text: "Visited two teams." });
await report({ participant_id: bram.id, text: "I asked before judging, every time." });
const halfway = made(await api.GET("/api/v1/projects/{project_id}/meetings/{meeting_id}/round", { params: closingPath }), 200, "round");
check(!halfway.complete, "the round is not complete");
same(halfway.silent, [carla.id], "Carla is still to answer");
same(
  one(halfway.entries, (e) => e.commitment.id === sharing.id, "sharing's entry").not_reported,
  [carla.id],
  "sharing waits for Carla",
);
same(halfway.general.map((g) => g.participant_id), [bram.id], "Bram answered in general");
await report({ participant_id: carla.id, commitment_id: sharing.id, text: "I put it on the wall." });
const round = made(await api.GET("/api/v1/projects/{project_id}/meetings/{meeting_id}/round", { params: closingPath }), 200, "round");
check(round.complete && round.silent.length === 0, "everyone answered");
check(one(round.entries, (e) => e.commitment.id === sharing.id, "sharing").commitment.status === "done", "done shows");
const meetings = made(await api.GET("/api/v1/projects/{project_id}/meetings", inProject), 200, "meetings");
same(meetings.map((m) => m.kind).sort(), ["evaluation", "joint"], "the project's meetings");

const last = await move("closed");
check(last.from_phase === "evaluation", "closed from the evaluation");
const tooLate = refused(
  await api.POST("/api/v1/projects/{project_id}/intake/findings", { ...inProject, body: { text: "Too late." } }),
  409,
  "a finding after closing",
);
check(tooLate.code === "project_closed", `code ${tooLate.code}`);
const transitions = made(await api.GET("/api/v1/projects/{project_id}/transitions", inProject), 200, "history");
same(
  transitions.map((t) => t.to_phase),
  ["service_definition", "competence_mapping", "development", "evaluation", "closed"],
  "the phases passed",
);

// --- both exports: the workbook in bytes, the document typed ------------------------------

const xlsx = await api.GET("/api/v1/projects/{project_id}/export.xlsx", { ...inProject, parseAs: "arrayBuffer" });
const bytes = new Uint8Array(made(xlsx, 200, "workbook"));
check(bytes.length > 1000 && bytes[0] === 0x50 && bytes[1] === 0x4b, "the workbook is a zip");
check(
  xlsx.response.headers.get("Content-Type") === "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "the workbook's media type",
);
check((xlsx.response.headers.get("Content-Disposition") ?? "").includes(".xlsx"), "a file to save");
const blob = made(
  await api.GET("/api/v1/projects/{project_id}/export.xlsx", {
    ...inProject,
    parseAs: "blob",
    headers: { Accept: "application/octet-stream" },
  }),
  200,
  "workbook in a blob",
);
check(blob.size === bytes.length && blob.type === "application/octet-stream", "the same file, in octets");

const document = made(await api.GET("/api/v1/projects/{project_id}/export", inProject), 200, "export");
check(document.format === "od-platform/project" && document.organisation.name === "Gemeente Utrecht", "the document");
check(document.project.phase === "closed" && document.project.name === "Samen sterker!", "the project exported");
check((document.people ?? []).length === 5 && (document.competences ?? []).length === 2, "people and competences");

// --- imports: a dry run writes nothing; the document read into a new organisation ---------

const dry = made(
  await api.POST("/api/v1/imports", { params: { query: { dry_run: true } }, body: document }),
  200,
  "dry run",
);
check(dry.dry_run && dry.format === "document" && dry.target_id === project.id, "a dry run of the same project");
check(
  Object.values(dry.counts).every((c) => c.created === 0 && c.updated === 0 && c.unchanged > 0),
  `the same document changes nothing: ${JSON.stringify(dry.counts)}`,
);
const copy: Schemas["ProjectDocument"] = { ...document, organisation: { name: "Gemeente Utrecht, kopie" } };
const imported = made(
  await api.POST("/api/v1/imports", {
    params: { header: { "Idempotency-Key": "ts-story-import" } },
    body: copy,
  }),
  201,
  "import",
);
check(!imported.dry_run && imported.format === "document", "applied");
same(imported.counts["people"], { created: 5, updated: 0, unchanged: 0 }, "the people made");
same(imported.counts["competences"], { created: 0, updated: 0, unchanged: 2 }, "the catalogue shared");
check(imported.items.length > 0 && imported.items.every((i) => i.outcome !== "updated"), "every item reported");
const replayed = await api.POST("/api/v1/imports", {
  params: { header: { "Idempotency-Key": "ts-story-import" } },
  body: copy,
});
same(made(replayed, 201, "replayed import"), imported, "a retry replays the first answer");
check(replayed.response.headers.get("Idempotent-Replayed") === "true", "said to be replayed");

// Read back: the report at its id, the new project, and its export equal to what went in.
const kept = made(
  await api.GET("/api/v1/imports/{import_id}", { params: { path: { import_id: imported.id } } }),
  200,
  "import report",
);
same(kept, imported, "the report is kept");
const copied = made(
  await api.GET("/api/v1/projects/{project_id}", {
    params: { path: { project_id: present(imported.target_id, "target") } },
  }),
  200,
  "imported project",
);
check(copied.id !== project.id && copied.organisation_id === imported.organisation_id, "a new project");
check(copied.phase === "closed" && copied.name === "Samen sterker!", "in the phase it was exported in");
const listed = made(
  await api.GET("/api/v1/projects", {
    params: { query: { organisation_id: present(imported.organisation_id, "organisation") } },
  }),
  200,
  "the organisation's projects",
);
same(listed.map((p) => p.id), [copied.id], "the copy is the organisation's project");
const inCopy = { params: { path: { project_id: copied.id } } };
const copiedCoordinators = made(await api.GET("/api/v1/projects/{project_id}/coordinators", inCopy), 200, "copy coordinators");
same(copiedCoordinators.map((c) => c.name), ["Carla"], "Carla coordinates in the copy too");
const shape = (dependencies: Schemas["Dependency"][]) =>
  dependencies.map((d) => [d.rank, d.competence.code, d.demand, d.holders.length, d.single_point_of_failure]);
const nowRanked = made(await api.GET("/api/v1/projects/{project_id}/dependencies", inProject), 200, "dependencies now");
same(shape(nowRanked), [[1, "FB", 2, 2, false], [2, "PLAN", 1, 3, false]], "Anna's growth took FB off the edge");
const copiedRanking = made(await api.GET("/api/v1/projects/{project_id}/dependencies", inCopy), 200, "copy dependencies");
same(shape(copiedRanking), shape(nowRanked), "the copy's dependencies");
const copiedAgreements = made(await api.GET("/api/v1/projects/{project_id}/agreements", inCopy), 200, "copy agreements");
same(copiedAgreements.map((a) => a.status).sort(), ["achieved", "proposed"], "the agreements came along");
const again = made(await api.GET("/api/v1/projects/{project_id}/export", inCopy), 200, "export of the copy");
same(again, copy, "the copy exports the document it was made from");

console.log(`story played: ${calls} calls`);
