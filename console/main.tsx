/** The console's entry: the app in the language the operator prefers. */
import { render } from 'preact';
import { App } from './app/App.tsx';
import { I18nProvider } from './i18n/i18n.tsx';
import './styles.css';

render(
  <I18nProvider>
    <App />
  </I18nProvider>,
  document.getElementById('console')!,
);
