import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitepress';

// TypeDoc writes the API reference and its sidebar before VitePress builds (see `docs:build`).
const apiSidebar = JSON.parse(readFileSync(new URL('../api/typedoc-sidebar.json', import.meta.url), 'utf8'));

export default defineConfig({
  title: 'eks-o11y',
  description: 'Errors from Kubernetes applications on Amazon EKS into Slack, with the traces, metrics and logs behind them.',
  cleanUrls: true,
  // The folder's README is for contributors, not a page of the site.
  srcExclude: ['README.md'],
  // A broken internal link fails the build: that is the point of building the docs in CI.
  ignoreDeadLinks: false,
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/' },
      { text: 'Packages', link: '/packages/slack-notifier' },
      { text: 'API', link: '/api/' },
      { text: 'Benchmarks', link: '/benchmarks/' },
    ],
    sidebar: [
      {
        text: 'Start here',
        items: [
          { text: 'What eks-o11y is', link: '/' },
          { text: 'Example: alarms to Slack', link: '/examples/alarms-to-slack' },
          { text: 'Local alert loop', link: '/guides/local-alert-loop' },
        ],
      },
      {
        text: 'Packages',
        items: [
          { text: '@eks-o11y/slack-notifier', link: '/packages/slack-notifier' },
          { text: '@eks-o11y/cdk-constructs', link: '/packages/cdk-constructs' },
          { text: '@eks-o11y/blueprint-addons', link: '/packages/blueprint-addons' },
          { text: '@eks-o11y/instrumentation', link: '/packages/instrumentation' },
          { text: '@eks-o11y/ho11y', link: '/packages/ho11y' },
        ],
      },
      { text: 'Benchmarks', link: '/benchmarks/' },
      { text: 'API reference', collapsed: true, items: apiSidebar },
    ],
  },
});
