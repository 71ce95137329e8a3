import { Component } from 'preact';
import type { QrPanelProps } from '../components/QrPanel/QrPanel.tsx';
import { StatusMessage } from '../components/StatusMessage/index.ts';
import type { QrChunk, QrPanelComponent } from '../qr-loader.ts';

export interface LazyQrPanelProps extends QrPanelProps {
  /** Shown with a spinner while the chunk loads. */
  title: string;
  /** The lazy chunk, which holds the panel. */
  load(): Promise<QrChunk>;
  onLoadError(message: string): void;
}

/** Shows a spinner while the QR chunk loads, then the QR panel. */
export class LazyQrPanel extends Component<LazyQrPanelProps, { Panel?: QrPanelComponent }> {
  mounted = false;

  override componentDidMount() {
    this.mounted = true;
    this.props.load().then(
      ({ QrPanel: Panel }) => this.mounted && this.setState({ Panel }),
      (error: unknown) => this.mounted && this.props.onLoadError(String(error)),
    );
  }

  override componentWillUnmount() {
    this.mounted = false;
  }

  render({ load, onLoadError, title, ...panel }: LazyQrPanelProps, { Panel }: { Panel?: QrPanelComponent }) {
    return Panel ? <Panel {...panel} /> : <StatusMessage kind="progress" title={title} />;
  }
}
