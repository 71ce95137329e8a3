export { focusableIn, modal, type Modal, type ModalProps } from './Modal.ts';
