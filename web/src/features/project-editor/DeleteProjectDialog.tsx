// Delete a project after typing its name. Its deployments are stopped first (the server
// answers 202 while they stop, 204 when nothing was deployed).
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../app/paths';
import { useEditorT } from './messages';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { useDeployments } from '../home/api';
import { useDeleteProject } from './api';

export function DeleteProjectDialog({ opened, onClose, projectId, name }: { opened: boolean; onClose: () => void; projectId: string; name: string }) {
  const t = useEditorT();
  const navigate = useNavigate();
  const [typed, setTyped] = useState('');
  const del = useDeleteProject();
  const deployments = useDeployments();
  const deployed = (deployments.data?.items ?? []).filter((v) => v.projectId === projectId && v.desiredState === 'Deployed').length;
  const close = () => {
    setTyped('');
    onClose();
  };
  const confirm = () =>
    del.mutate(projectId, {
      onSuccess: ({ stopping }) => {
        notifySuccess(stopping ? t('editor.deleteDialog.stopping', { name }) : t('editor.deleteDialog.deleted', { name }));
        close();
        navigate(paths.projects());
      },
      onError: (e) => notifyFailure(t('editor.deleteDialog.failed', { name }), e),
    });
  return (
    <Modal opened={opened} onClose={close} title={t('editor.deleteDialog.title', { name })} closeButtonProps={{ 'aria-label': t('action.close') }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          e.stopPropagation(); // the editor's own form is around it in React's tree
          if (typed === name) confirm();
        }}
      >
        <Stack>
          <Alert color="red" role="note">
            {deployed > 0 ? t('editor.deleteDialog.stopsDeployments', { count: deployed }) : t('editor.deleteDialog.stopsAny')}
          </Alert>
          <Text size="sm">{t('editor.deleteDialog.irreversible')}</Text>
          <TextInput label={t('editor.deleteDialog.typeName', { name })} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} autoComplete="off" data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" color="red" disabled={typed !== name} loading={del.isPending}>
              {t('editor.deleteDialog.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
