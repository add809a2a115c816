// Sign in by username or e-mail. After signing in the user returns to ?next= (the page an
// expired session took them from), else the home page.
import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useI18n } from '../../shared/i18n';
import { safeNext, useSession, useSignIn } from '../../shared/auth/session';
import { problemMessage } from '../../shared/api/problem';

export function SignInPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { user } = useSession();
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);

  if (user) return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setMissing(true);
      return;
    }
    setMissing(false);
    signIn.mutate({ username: username.trim(), password }, { onSuccess: () => navigate(next, { replace: true }) });
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form onSubmit={submit} noValidate aria-labelledby="signin-title">
          <Stack>
            <Title order={1} size="h2" id="signin-title">
              {t('signin.title')}
            </Title>
            {params.get('expired') === '1' && (
              <Alert color="blue" role="status">
                {t('signin.expired')}
              </Alert>
            )}
            {params.get('signedOut') === '1' && (
              <Alert color="gray" role="status">
                {t('signin.signedOut')}
              </Alert>
            )}
            {(signIn.isError || missing) && (
              <Alert color="red" title={t('signin.failed')} role="alert">
                {missing ? t('signin.required') : problemMessage(signIn.error)}
              </Alert>
            )}
            <TextInput
              label={t('signin.username')}
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              required
              data-autofocus
              autoFocus
            />
            <PasswordInput
              label={t('signin.password')}
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
            />
            <Button type="submit" loading={signIn.isPending}>
              {t('signin.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
