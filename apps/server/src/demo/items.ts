/**
 * Thirty synthetic media items written for the demo (not copied articles), 15 per
 * incident, each with the "true" codes from which the demo coders' codings derive.
 */
/**
 * The study's two incidents as the seed report (shared/seed/unfreedom-monitor-kazakhstan.txt,
 * "Key incidents") describes them. Dates: the seed names January 2022 (the internet shutdown of
 * January 5 to 11) and the November 2022 snap election; each span runs from the start the
 * seed gives to the last demo item collected for the incident.
 */
export const INCIDENT_ARREST = {
  name: 'Dissident arrested for "disinformation" after the January 2022 protests',
  description:
    'During the January 2022 protests (Qandy Qantar) the internet was shut down from January 5 to 11 and state media monopolised the coverage. Zhanbolat Mamay, leader of the unregistered Democratic Party of Kazakhstan, had asked supporters on social media to gather for a peaceful rally; he was detained and charged with spreading disinformation, organising mass protests and insulting a state authority.',
  country: 'Kazakhstan',
  startDate: '2022-01-05',
  endDate: '2022-03-11',
  tags: ['January protests', 'internet shutdown', 'disinformation charges', 'surveillance'],
};
export const INCIDENT_ELECTION = {
  name: 'Coordinated inauthentic behaviour before the 2022 presidential election',
  description:
    'In the build-up to the snap presidential election of November 2022, accounts posted pre-approved content praising President Tokayev en masse; screenshots of private messages showed users given ready-made posts, recalling the "Nurbots" of the Nazarbayev era.',
  country: 'Kazakhstan',
  startDate: '2022-10-20',
  endDate: '2022-12-05',
  tags: ['elections', 'coordinated inauthentic behaviour', 'propaganda'],
};

export interface DemoTruth {
  frames: string[];
  impact: number;
  dimension: string;
  element: string;
  sources: string[];
  popularity: number;
}

export interface DemoItem {
  incident: 'arrest' | 'election';
  title: string;
  platform: 'news' | 'facebook' | 'twitter' | 'instagram' | 'telegram' | 'report';
  author: string;
  publishedAt: string;
  language: 'en' | 'ru' | 'kk';
  body: string;
  reach: number;
  truth: DemoTruth;
}

const t = (frames: string[], impact: number, dimension: string, element: string, sources: string[], popularity: number): DemoTruth => ({
  frames,
  impact,
  dimension,
  element,
  sources,
  popularity,
});

export const DEMO_ITEMS: DemoItem[] = [
  { incident: 'arrest', title: 'Prosecutor: opposition leader detained for spreading false information', platform: 'news', author: 'State news agency', publishedAt: '2022-02-25', language: 'ru', body: 'The prosecutor general\'s office said the leader of an unregistered party was detained on charges of disseminating knowingly false information during the January events.', reach: 48000, truth: t(['opposition_lies'], -2, 'speech', 'methods', ['government', 'state_media'], 3) },
  { incident: 'arrest', title: 'Rights groups call for immediate release of detained activist', platform: 'report', author: 'International rights organisation', publishedAt: '2022-03-01', language: 'en', body: 'A statement urges authorities to drop charges that punish peaceful calls to assemble, calling the disinformation article vague and open to abuse.', reach: 9000, truth: t(['speech_criminalised'], 2, 'speech', 'responses', ['international', 'civil_society'], 2) },
  { incident: 'arrest', title: '"They arrested him for a Facebook post"', platform: 'facebook', author: 'Supporter of the detained leader', publishedAt: '2022-02-26', language: 'kk', body: 'A supporter writes that the only crime was inviting people to a peaceful rally in a park, and asks friends to share the post before it disappears.', reach: 21000, truth: t(['speech_criminalised'], 1, 'speech', 'responses', ['opposition'], 3) },
  { incident: 'arrest', title: 'TV segment: "bandits trained abroad" behind the riots', platform: 'news', author: 'State television channel', publishedAt: '2022-01-12', language: 'ru', body: 'A broadcast repeats that twenty thousand bandits commanded from a single centre attacked the city, and shows a confession of a detained foreign citizen.', reach: 120000, truth: t(['protesters_terrorists', 'foreign_plot'], -3, 'information', 'motives', ['state_media', 'government'], 4) },
  { incident: 'arrest', title: 'Thread: how the internet shutdown hid what happened in Almaty', platform: 'twitter', author: 'Independent journalist', publishedAt: '2022-01-15', language: 'en', body: 'A thread reconstructs five days without connectivity and argues the blackout let state channels monopolise the story of the protests.', reach: 35000, truth: t(['digital_repression'], 2, 'access', 'methods', ['independent_journalist'], 3) },
  { incident: 'arrest', title: 'Ministry: the shutdown protected citizens from provocations', platform: 'telegram', author: 'Ministry channel', publishedAt: '2022-01-10', language: 'ru', body: 'The channel explains that restricting access was needed to stop coordinated provocations and fake news that endangered lives.', reach: 64000, truth: t(['shutdown_keeps_order'], -2, 'access', 'motives', ['government'], 3) },
  { incident: 'arrest', title: 'Court extends pre-trial detention by two months', platform: 'news', author: 'Independent news site', publishedAt: '2022-03-10', language: 'ru', body: 'The court kept the politician in custody on charges of false information and insulting an official; his lawyer says the case file contains only his posts.', reach: 15000, truth: t(['speech_criminalised'], 1, 'speech', 'methods', ['independent_journalist', 'opposition'], 2) },
  { incident: 'arrest', title: 'Instagram video: mother of a detained protester speaks', platform: 'instagram', author: 'Citizen account', publishedAt: '2022-01-20', language: 'kk', body: 'A woman says her son was arrested for filming the square and that officers checked his phone for chats with the opposition.', reach: 80000, truth: t(['surveillance_targets'], 2, 'data_governance', 'methods', ['anonymous'], 4) },
  { incident: 'arrest', title: 'Op-ed: freedom of speech is not freedom to lie', platform: 'news', author: 'Pro-government columnist', publishedAt: '2022-03-03', language: 'ru', body: 'The author argues that those who called people to the streets must answer for the deaths that followed, and that the law on false information protects society.', reach: 22000, truth: t(['criticism_is_disinfo', 'security_over_rights'], -2, 'speech', 'motives', ['state_media'], 2) },
  { incident: 'arrest', title: 'Party statement: our leader is a political prisoner', platform: 'facebook', author: 'Democratic Party page', publishedAt: '2022-02-27', language: 'ru', body: 'The party lists earlier detentions of its members and says the new charges are retaliation for trying to register an opposition party.', reach: 18000, truth: t(['speech_criminalised'], 1, 'speech', 'responses', ['opposition'], 2) },
  { incident: 'arrest', title: 'Report: spyware found on activists\' phones', platform: 'report', author: 'Digital security lab', publishedAt: '2022-01-06', language: 'en', body: 'Forensic analysis identifies commercial spyware on the devices of four activists and a journalist, with infections dating back to 2021.', reach: 12000, truth: t(['surveillance_targets'], 3, 'data_governance', 'methods', ['civil_society', 'international'], 2) },
  { incident: 'arrest', title: 'Telegram post mocks "foreign agents" in the opposition', platform: 'telegram', author: 'Anonymous pro-government channel', publishedAt: '2022-02-28', language: 'ru', body: 'Memes present the detained leader as a puppet of foreign embassies and invite readers to report "provocateurs" to the police bot.', reach: 41000, truth: t(['foreign_plot', 'opposition_lies'], -3, 'information', 'methods', ['anonymous'], 3) },
  { incident: 'arrest', title: 'Explainer: what counts as "false information" under Kazakh law', platform: 'news', author: 'Legal affairs site', publishedAt: '2022-03-05', language: 'en', body: 'The explainer walks through the article on dissemination of knowingly false information and the penalties of up to ten years.', reach: 7000, truth: t(['speech_criminalised'], 1, 'speech', 'motives', ['independent_journalist'], 1) },
  { incident: 'arrest', title: 'President: order restored, those responsible will be punished', platform: 'twitter', author: 'Presidential account', publishedAt: '2022-01-11', language: 'en', body: 'The post thanks security forces and allies, and promises that organisers of the unrest and those who spread lies will face justice.', reach: 150000, truth: t(['security_over_rights', 'only_stability'], -2, 'information', 'motives', ['government'], 4) },
  { incident: 'arrest', title: 'Vigil outside the courthouse streamed on Instagram', platform: 'instagram', author: 'Activist collective', publishedAt: '2022-03-11', language: 'kk', body: 'A short livestream shows supporters with blank sheets of paper outside the court; the stream ends when police approach.', reach: 26000, truth: t(['speech_criminalised'], 2, 'speech', 'responses', ['opposition'], 3) },

  { incident: 'election', title: 'Hundreds of identical posts praise the president\'s reforms', platform: 'facebook', author: 'Network of new accounts', publishedAt: '2022-11-05', language: 'ru', body: 'Accounts created in the same week post the same paragraph about a "Fair Kazakhstan" with the same photograph, minutes apart.', reach: 30000, truth: t(['scripted_posts', 'new_kazakhstan'], -2, 'information', 'methods', ['anonymous'], 3) },
  { incident: 'election', title: 'Screenshots: "copy this text and post it by 18:00"', platform: 'telegram', author: 'Whistleblower channel', publishedAt: '2022-11-08', language: 'ru', body: 'Leaked chat messages show a supervisor sending public-sector employees a ready-made post and a deadline.', reach: 52000, truth: t(['scripted_posts'], 2, 'information', 'methods', ['anonymous', 'independent_journalist'], 3) },
  { incident: 'election', title: 'Campaign video: "only he can keep the country stable"', platform: 'instagram', author: 'Campaign account', publishedAt: '2022-11-01', language: 'kk', body: 'A polished video contrasts the January unrest with images of new schools and ends with the slogan of stability.', reach: 210000, truth: t(['only_stability'], -1, 'information', 'motives', ['government'], 4) },
  { incident: 'election', title: 'Analysis: the return of the "Nurbots"', platform: 'news', author: 'Independent news site', publishedAt: '2022-11-10', language: 'en', body: 'Researchers trace comment patterns under news articles to a cluster of accounts that once praised the previous president.', reach: 19000, truth: t(['paid_trolls'], 2, 'information', 'methods', ['independent_journalist', 'civil_society'], 2) },
  { incident: 'election', title: 'Observers: limited choice and restricted information', platform: 'report', author: 'Election observation mission', publishedAt: '2022-11-21', language: 'en', body: 'The preliminary statement notes the lack of genuine competition and restrictive rules on online campaigning and media.', reach: 8000, truth: t(['elections_manipulated'], 2, 'information', 'responses', ['international'], 1) },
  { incident: 'election', title: 'Tweet storm: #FairKazakhstan trends overnight', platform: 'twitter', author: 'Various accounts', publishedAt: '2022-11-12', language: 'ru', body: 'Thousands of posts with the same hashtag appear between 2 and 4 a.m., many from accounts with no followers.', reach: 90000, truth: t(['scripted_posts', 'tokayev_best_leader'], -2, 'information', 'methods', ['anonymous'], 4) },
  { incident: 'election', title: 'Ministry warns of criminal liability for election fakes', platform: 'news', author: 'State news agency', publishedAt: '2022-11-02', language: 'ru', body: 'The ministry reminds citizens that spreading false information about the election is a crime and asks them to trust official sources.', reach: 40000, truth: t(['criticism_is_disinfo'], -2, 'speech', 'methods', ['government', 'state_media'], 3) },
  { incident: 'election', title: 'Student: "we were told to like the president\'s posts"', platform: 'facebook', author: 'University student', publishedAt: '2022-11-09', language: 'kk', body: 'A student describes a group chat in which a dean\'s office asked everyone to like and share campaign posts and send screenshots.', reach: 14000, truth: t(['paid_trolls', 'scripted_posts'], 2, 'information', 'responses', ['anonymous'], 2) },
  { incident: 'election', title: 'Columnist: the new Kazakhstan needs a strong hand', platform: 'news', author: 'Pro-government columnist', publishedAt: '2022-11-15', language: 'ru', body: 'The column credits the president with ending the crisis and argues that reforms require continuity at the top.', reach: 11000, truth: t(['tokayev_best_leader', 'new_kazakhstan'], -1, 'information', 'motives', ['state_media'], 2) },
  { incident: 'election', title: 'Fact-check: viral "poll" with 92% support is fabricated', platform: 'twitter', author: 'Fact-checking project', publishedAt: '2022-11-14', language: 'en', body: 'The image of a poll attributed to a foreign institute does not exist on the institute\'s site; the account that posted it is three days old.', reach: 23000, truth: t(['elections_manipulated'], 3, 'information', 'responses', ['independent_journalist', 'civil_society'], 2) },
  { incident: 'election', title: 'Influencers post the same sponsored message', platform: 'instagram', author: 'Lifestyle influencers', publishedAt: '2022-11-11', language: 'ru', body: 'Several lifestyle accounts publish near-identical stories urging followers to vote for stability, without marking them as advertising.', reach: 300000, truth: t(['scripted_posts', 'only_stability'], -2, 'information', 'methods', ['anonymous'], 4) },
  { incident: 'election', title: 'Opposition candidate denied registration', platform: 'news', author: 'Independent news site', publishedAt: '2022-10-20', language: 'ru', body: 'The electoral commission rejects the registration of a would-be candidate over paperwork, leaving the ballot without an opposition name.', reach: 17000, truth: t(['elections_manipulated'], 1, 'information', 'responses', ['independent_journalist', 'opposition'], 2) },
  { incident: 'election', title: 'Channel calls critics of the vote "paid by foreign funds"', platform: 'telegram', author: 'Anonymous pro-government channel', publishedAt: '2022-11-18', language: 'ru', body: 'The channel publishes names and photos of election observers and claims they receive foreign money to discredit the country.', reach: 37000, truth: t(['foreign_plot', 'criticism_is_disinfo'], -3, 'speech', 'methods', ['anonymous'], 3) },
  { incident: 'election', title: 'Platform removes network of inauthentic accounts', platform: 'report', author: 'Platform transparency report', publishedAt: '2022-12-05', language: 'en', body: 'The quarterly report describes the takedown of accounts that posed as ordinary citizens to praise a candidate and attack critics.', reach: 6000, truth: t(['paid_trolls'], 2, 'information', 'responses', ['international'], 1) },
  { incident: 'election', title: 'President thanks citizens for "record trust"', platform: 'twitter', author: 'Presidential account', publishedAt: '2022-11-21', language: 'kk', body: 'After the count, the post thanks voters for their trust and promises to continue building a just state.', reach: 170000, truth: t(['tokayev_best_leader', 'new_kazakhstan'], -1, 'information', 'motives', ['government'], 4) },
];
