/**
 * Recording an event from a form (admins): the form for the event type, then the workflow's answer.
 * A broken rule comes back as the GOV.UK error summary with the rule and its citation, and the form
 * offers "record anyway" with a required reason; a refused event says why. Each form carries its
 * own idempotency key, so posting it twice records the event once.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  eventForms,
  formsFor,
  FormFieldError,
  gradeNames,
  newFormKey,
  recordFromForm,
  type EventForm,
  type PostedForm,
} from '../../app/event-forms';
import type { EpaReader } from '../../app/epas';
import {
  actionFormsNow,
  allowedGrades,
  componentChoices,
  componentNames,
  effectsInWords,
  findingInWords,
  refusalInWords,
} from '../../app/actions';
import { CHECKED_FIRST, eventFromForm } from '../../app/event-forms';
import { componentPhrase, dateInWords } from '../../epa/display-names';
import { londonDateOf } from '../../calendar';
import { EpaInputError } from '../../epa/errors';
import { describeSource } from '../../plans';
import { EpaRejectedError, type EpaClient } from '../../app/epa-client';
import { httpStatusOf } from '../../app/errors';
import { requireStaff } from '../middleware/session';
import { render, type PageContext } from '../render';

interface FormState {
  posted: PostedForm;
  errors: { text: string; href: string }[];
  fieldErrors: Record<string, string>;
  /** A rule was broken: the form asks for a reason to record it anyway. */
  violation?: boolean;
}

export function eventRoutes(
  app: FastifyInstance,
  ctx: PageContext,
  epa: EpaReader & Pick<EpaClient, 'recordEvent' | 'preview'>,
  now: () => number,
): void {
  const formOf = (type: unknown): EventForm => {
    const form = typeof type === 'string' ? eventForms[type as keyof typeof eventForms] : undefined;
    if (!form) throw new EpaInputError('choose an event to record', 'type');
    return form;
  };

  const show = async (req: FastifyRequest, reply: FastifyReply, uln: string, form: EventForm, state: FormState) => {
    const status = await epa.status(uln);
    const [year, month, day] = londonDateOf(now()).split('-');
    const components = componentChoices(status, form, londonDateOf(now()));
    const chosen = state.posted.component ?? (components.length === 1 ? components[0]!.value : undefined);
    return render(req, reply, ctx, 'pages/record-event.njk', {
      form: true,
      epa: status,
      event: form,
      checkedFirst: CHECKED_FIRST.has(form.type),
      components,
      // Only the grades the component allows (its plan's list).
      grades: form.fields.some((f) => f.kind === 'grade') ? allowedGrades(status, chosen) : gradeNames,
      today: { day, month, year },
      ...state,
      posted: { formKey: newFormKey(), ...state.posted },
    });
  };

  app.get('/epas/:uln/events/new', { preHandler: requireStaff('admin') }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const { type, component } = req.query as { type?: string; component?: string };
    // "What happens next" links to a form with its component chosen (the select offers only the EPA's own).
    const chosen = typeof component === 'string' && /^[A-Za-z][\w-]{0,40}$/.test(component) ? { component } : {};
    const form = formOf(type);
    if (CHECKED_FIRST.has(form.type) && form.type !== 'Withdrawn') {
      // An appeal, its decision, extenuating circumstances: offered only when the rules would take them now.
      const status = await epa.status(uln);
      if (!actionFormsNow(status, londonDateOf(now())).some((f) => f.type === form.type))
        throw new EpaInputError(`${form.title} is not possible for this EPA now`, 'type');
    }
    return show(req, reply, uln, form, { posted: chosen, errors: [], fieldErrors: {} });
  });

  app.post('/epas/:uln/events', { preHandler: [requireStaff('admin'), app.csrfProtection] }, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const posted = (req.body ?? {}) as PostedForm;
    const form = formOf(posted.type);
    const user = req.session.user!;
    try {
      const grade = (posted.grade ?? '').trim();
      if (grade && form.fields.some((f) => f.kind === 'grade')) {
        const status = await epa.status(uln);
        const allowed = allowedGrades(status, posted.component);
        if (!(allowed as readonly string[]).includes(grade)) {
          const what = posted.component ? `The ${componentPhrase(posted.component, componentNames(status))}` : 'This assessment';
          throw new FormFieldError(
            'grade',
            `${what} is graded ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]} only`,
          );
        }
      }
      if (CHECKED_FIRST.has(form.type) && posted.confirmed !== 'yes') {
        // Check your answers first: what the EPA will look like after, and what will be sent to whom.
        const payload = eventFromForm(form, posted);
        const status = await epa.status(uln);
        const answer = await epa.preview(uln, form.type, { ...payload, by: user.name });
        if ('refused' in answer) throw new FormFieldError('on', refusalInWords(answer.refused, status));
        const names = componentNames(status);
        const rows = form.fields
          .filter((f) => (posted[f.name] ?? posted[`${f.name}-day`] ?? '').trim())
          .map((f) => ({
            key: { text: f.label.replace(/\?$/, '') },
            value: {
              text:
                f.kind === 'date'
                  ? dateInWords(payload[f.name] as string)
                  : f.kind === 'component'
                    ? componentPhrase(posted[f.name]!, names)
                    : (f.labels?.[posted[f.name]!] ?? posted[f.name]!),
            },
          }));
        const hidden = Object.entries(posted).filter(([k, v]) => k !== '_csrf' && k !== 'confirmed' && typeof v === 'string');
        return render(req, reply, ctx, 'pages/check-answers.njk', {
          form: true,
          epa: status,
          title: form.title,
          rows,
          effects: effectsInWords(status, answer, now()),
          action: `/epas/${uln}/events`,
          hidden,
          changeHref: `/epas/${uln}/events/new?type=${form.type}`,
          button: form.type === 'Withdrawn' ? 'Withdraw from the EPA' : `${form.title}: record it`,
          warning: form.type === 'Withdrawn',
        });
      }
      const summary = await recordFromForm(epa, uln, form, posted, user.name);
      // A warning the core raised (a recommended order not followed), in words.
      const after = summary.warnings.length > 0 ? await epa.status(uln) : undefined;
      req.session.flash = {
        title: `${form.title}: recorded`,
        warnings: summary.warnings.map((w) => findingInWords(w.message, after!)),
      };
      return reply.redirect(`/epas/${uln}`);
    } catch (err) {
      const field = (name: string, text: string): FormState => {
        // A date's error links to its day box.
        const dated = form.fields.some((f) => f.name === name && (f.kind === 'date' || f.kind === 'datetime'));
        return { posted, errors: [{ text, href: `#${dated ? `${name}-day` : name}` }], fieldErrors: { [name]: text } };
      };
      if (err instanceof FormFieldError)
        return show(req, reply.code(httpStatusOf('invalid_input')), uln, form, field(err.field, err.message));
      if (err instanceof EpaRejectedError || err instanceof EpaInputError) {
        const kind = err instanceof EpaRejectedError ? err.kind : 'invalid_input';
        const path = err instanceof EpaRejectedError ? err.path : err.path;
        if (err instanceof EpaRejectedError && err.violations.length > 0) {
          // Each rule broken and its citation, in the summary; at the field, what to do about it.
          const overridable = err.violations.every((v) => v.overridable);
          const override = (posted.overrideReason ?? '').trim();
          return show(req, reply.code(httpStatusOf(kind)), uln, form, {
            posted,
            errors: err.violations.map((v) => ({
              text: `${v.message}. Rule ${v.rule}, from ${describeSource(v.citation)}`,
              href: overridable ? '#overrideReason' : '#on',
            })),
            fieldErrors: overridable
              ? {
                  overrideReason: override
                    ? 'Give a reason of at least 3 characters to record it anyway'
                    : 'To record it anyway, say why: the reason is kept with the EPA',
                }
              : {},
            violation: overridable,
          });
        }
        const name = formFieldOf(path?.replace(/^event\./, '') ?? 'on');
        return show(req, reply.code(httpStatusOf(kind)), uln, form, field(name, err.message));
      }
      throw err;
    }
  });
}

/** The form field an event field's error belongs to (`postalContact.postCode` → `postal-postCode`). */
function formFieldOf(eventPath: string): string {
  const [first = 'on', second] = eventPath.split('.');
  if (first === 'postalContact' && second) return `postal-${second}`;
  if (first === 'assessor' && second) return second === 'email' ? 'assessorEmail' : 'assessorName';
  if (first === 'englishMaths' && second) return second;
  return first;
}

export { formsFor };
