/**
 * The coding view's parts that its first paint does without, loaded when first shown
 * (`$lib/lazy.ts`; bench/web-initial-js.ts): the joint panel (joint phase only), the calibration
 * feedback (after a submit), the revised values (after a production round's joint session), and
 * the tagged spans' list, highlights and tagging tools (below the text), and the form that
 * reopens a coder's submission (editors only).
 */
import { lazy } from '$lib/lazy.ts';

export const jointPanel = lazy(() => import('$lib/components/JointPanel.svelte'));
export const calibrationFeedback = lazy(() => import('$lib/components/CalibrationFeedback.svelte'));
export const revisedValues = lazy(() => import('$lib/components/RevisedValues.svelte'));
export const spanTags = lazy(() => import('$lib/components/SpanTags.svelte'));
export const submissionReopen = lazy(() => import('$lib/components/SubmissionReopen.svelte'));
