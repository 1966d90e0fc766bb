/**
 * The demo study's codebook: the Civic Media Observatory coding scheme as used by
 * the Unfreedom Monitor (Global Voices) for Kazakhstan, 2022. Parent frames, narratives
 * and the rest follow the seed report (shared/seed/unfreedom-monitor-kazakhstan.txt);
 * README.md says which parts its text gives and which are reconstructed.
 */
import type { CodebookInput } from '@concord/shared';

const frame = (value: string, label: string, parent: string | null = null) => ({ value, label, parent, help: '' });

export const DEMO_CODEBOOK: CodebookInput = {
  name: 'Civic Media Observatory codebook',
  fields: [
    {
      key: 'narrative_frames',
      label: 'Narrative frames',
      help: 'Every narrative the item advances. Pick the most specific narrative; the frames above it are implied.',
      type: 'multiple_choice',
      required: true,
      allowNa: false,
      // The seed's hierarchy: Chart 1's parent frames on top, Table 1's narratives below them,
      // and the demo's more specific narratives below those (README.md, what is reconstructed).
      options: [
        frame('disinformation', 'Disinformation'),
        frame('freedom_of_expression', 'Freedom of expression'),
        frame('security_over_rights', 'National security trumps human rights', 'freedom_of_expression'),
        frame('protesters_terrorists', 'Protesters are terrorists and bandits', 'security_over_rights'),
        frame('foreign_plot', 'Unrest is a foreign-organised coup', 'security_over_rights'),
        frame('shutdown_keeps_order', 'Internet shutdowns keep order', 'security_over_rights'),
        frame('tokayev_best_leader', 'Tokayev is the best leader for Kazakhstan right now', 'disinformation'),
        frame('new_kazakhstan', 'Reforms are building a "Fair Kazakhstan"', 'tokayev_best_leader'),
        frame('only_stability', 'Only Tokayev guarantees stability', 'tokayev_best_leader'),
        frame('criticism_is_disinfo', 'Criticism of the state is disinformation', 'disinformation'),
        frame('opposition_lies', 'Opposition figures spread false information', 'criticism_is_disinfo'),
        frame('digital_repression', 'Digital repression silences dissent', 'freedom_of_expression'),
        frame('speech_criminalised', 'Speech is criminalised', 'digital_repression'),
        frame('surveillance_targets', 'Surveillance targets activists and journalists', 'digital_repression'),
        frame('elections_manipulated', 'Elections are manipulated online', 'disinformation'),
        frame('paid_trolls', 'Paid trolls ("Nurbots") flood social media', 'elections_manipulated'),
        frame('scripted_posts', 'Pre-approved content is spread en masse', 'elections_manipulated'),
      ],
    },
    {
      key: 'civic_impact',
      label: 'Civic impact score',
      help: 'The impact of the item on civic discourse, from very harmful to very beneficial.',
      type: 'ordinal',
      required: true,
      allowNa: false,
      scale: [
        { value: -3, label: 'Very harmful' },
        { value: -2, label: 'Harmful' },
        { value: -1, label: 'Somewhat harmful' },
        { value: 0, label: 'Neutral' },
        { value: 1, label: 'Somewhat beneficial' },
        { value: 2, label: 'Beneficial' },
        { value: 3, label: 'Very beneficial' },
      ],
    },
    {
      key: 'dimension',
      label: 'Dimension',
      help: 'The dimension of digital authoritarianism the item is mainly about.',
      type: 'single_choice',
      required: true,
      allowNa: true,
      options: [
        frame('data_governance', 'Data governance'),
        frame('speech', 'Speech'),
        frame('access', 'Access'),
        frame('information', 'Information'),
      ],
    },
    {
      key: 'element',
      label: 'Element',
      help: 'Whether the item shows the motives, the methods, or the responses to digital authoritarianism.',
      type: 'single_choice',
      required: true,
      allowNa: true,
      options: [frame('motives', 'Motives'), frame('methods', 'Methods'), frame('responses', 'Responses')],
    },
    {
      key: 'platform',
      label: 'Platform',
      help: 'Where the item was published.',
      type: 'single_choice',
      required: false,
      allowNa: false,
      options: [
        frame('news', 'News media'),
        frame('facebook', 'Facebook'),
        frame('twitter', 'Twitter'),
        frame('instagram', 'Instagram'),
        frame('telegram', 'Telegram'),
        frame('report', 'Report'),
      ],
    },
    {
      key: 'sources',
      label: 'Sources',
      help: 'Who speaks in the item.',
      type: 'multiple_choice',
      required: false,
      allowNa: true,
      options: [
        frame('government', 'Government official'),
        frame('state_media', 'State media'),
        frame('independent_journalist', 'Independent journalist'),
        frame('opposition', 'Opposition or activist'),
        frame('civil_society', 'Civil society organisation'),
        frame('international', 'International organisation'),
        frame('anonymous', 'Anonymous or unverified account'),
      ],
    },
    {
      key: 'popularity',
      label: 'Popularity',
      help: 'Reach relative to similar items on the platform.',
      type: 'ordinal',
      required: false,
      allowNa: true,
      scale: [
        { value: 1, label: 'Low' },
        { value: 2, label: 'Moderate' },
        { value: 3, label: 'High' },
        { value: 4, label: 'Viral' },
      ],
    },
    { key: 'subtext', label: 'Subtext', help: 'What the item implies without saying it.', type: 'text', required: false, allowNa: false, maxLength: 4000 },
    { key: 'context', label: 'Context', help: 'What a reader needs to know to understand the item.', type: 'text', required: false, allowNa: false, maxLength: 4000 },
    { key: 'reactions', label: 'Reactions', help: 'How audiences responded.', type: 'text', required: false, allowNa: false, maxLength: 4000 },
  ],
};
